#!/usr/bin/python3
"""Read FreeRADIUS 3 `detail` files (the accounting log) and answer queries.

A detail file is a series of records separated by blank lines: a header line
(the time, from `header = "%t"`), then one `<TAB>Attribute = value` line per
attribute, strings in double quotes with backslash escapes, enumerated
integers by name (Acct-Status-Type = Start), addresses bare.

  radius_detail.py FILE... [-w COND]... [-c | -p ATTR | --sessions]
  radius_detail.py --packets DEBUGLOG... [-w COND]... [-c | -p ATTR]

COND is ATTR=VALUE (equal), ATTR!=VALUE, ATTR~REGEX (re.search), ATTR (present)
or !ATTR (absent). Output: matching records as JSON lines (default), their
count (-c), the value of one attribute per record (-p, empty when absent), or
one JSON object per Acct-Session-Id (--sessions) with the count of each
Acct-Status-Type and the attributes of the first Start and the last Stop.
A missing file counts as empty (the server writes it on the first record).

--packets reads `freeradius -X` output instead: every packet the server
received or sent, with pseudo-attributes _dir (Received/Sent), _code
(Access-Request, ...), _id, _from and _to (IP:PORT), _length, and on a
reply _user, the User-Name of the request it answers (FreeRADIUS numbers the
request and its reply alike), so that a test can see what the client put in
its requests and what it got back.
"""
import argparse
import json
import re
import sys


def unquote(v):
    if len(v) >= 2 and v[0] == '"' and v[-1] == '"':
        out, i, s = [], 0, v[1:-1]
        while i < len(s):
            if s[i] == '\\' and i + 1 < len(s):
                i += 1
                out.append({'n': '\n', 'r': '\r', 't': '\t'}.get(s[i], s[i]))
            else:
                out.append(s[i])
            i += 1
        return ''.join(out)
    return v


def parse(text):
    """Records as lists of (attribute, value), plus the header as '_header'."""
    recs, cur = [], None
    for line in text.splitlines():
        if not line.strip():
            if cur:
                recs.append(cur)
            cur = None
            continue
        if not line[0].isspace():
            if cur:
                recs.append(cur)
            cur = [('_header', line.strip())]
            continue
        m = re.match(r'\s+([A-Za-z0-9][-A-Za-z0-9_.:]*) = (.*)$', line)
        if m and cur is not None:
            cur.append((m.group(1), unquote(m.group(2))))
    if cur:
        recs.append(cur)
    return recs


PKT = re.compile(r'^\((\d+)\) (Received|Sent) (\S+) Id (\d+) from (\S+) to (\S+) length (\d+)')
PKT_ATTR = re.compile(r'^\((\d+)\)   ([A-Za-z][-A-Za-z0-9_.:]*) :?= (.*)$')


def parse_debug(text):
    """Packets of a `freeradius -X` log as lists of (attribute, value)."""
    recs, cur, req, users = [], None, None, {}
    for line in text.splitlines():
        m = PKT.match(line)
        if m:
            if cur:
                recs.append(cur)
            req = m.group(1)
            cur = [('_dir', m.group(2)), ('_code', m.group(3)), ('_id', m.group(4)),
                   ('_from', m.group(5)), ('_to', m.group(6)), ('_length', m.group(7))]
            if m.group(2) == 'Sent' and req in users:
                cur.append(('_user', users[req]))
            continue
        m = PKT_ATTR.match(line)
        if cur is not None and m and m.group(1) == req:
            cur.append((m.group(2), unquote(m.group(3))))
            if m.group(2) == 'User-Name':
                users[req] = unquote(m.group(3))
            continue
        if cur:
            recs.append(cur)
        cur = None
    if cur:
        recs.append(cur)
    return recs


def as_dict(rec):
    """Attribute -> value; a repeated attribute becomes a list."""
    d = {}
    for k, v in rec:
        if k in d:
            d[k] = d[k] if isinstance(d[k], list) else [d[k]]
            d[k].append(v)
        else:
            d[k] = v
    return d


def match(d, cond):
    if cond.startswith('!') and '=' not in cond:
        return cond[1:] not in d
    m = re.match(r'([^!=~]+)(!=|=|~)(.*)$', cond)
    if not m:
        return cond in d
    k, op, want = m.groups()
    vals = d.get(k)
    vals = [] if vals is None else (vals if isinstance(vals, list) else [vals])
    if op == '=':
        return want in vals
    if op == '!=':
        return want not in vals
    return any(re.search(want, v) for v in vals)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('files', nargs='+')
    ap.add_argument('-w', action='append', default=[], metavar='COND')
    g = ap.add_mutually_exclusive_group()
    g.add_argument('-c', action='store_true', help='count')
    g.add_argument('-p', metavar='ATTR', help='print one attribute per record')
    g.add_argument('--sessions', action='store_true')
    ap.add_argument('--packets', action='store_true', help='files are freeradius -X logs')
    a = ap.parse_args()
    recs = []
    for f in a.files:
        try:
            with open(f, encoding='utf-8', errors='replace') as fh:
                text = fh.read()
            recs += [as_dict(r) for r in (parse_debug(text) if a.packets else parse(text))]
        except FileNotFoundError:
            pass
    recs = [r for r in recs if all(match(r, c) for c in a.w)]
    if a.c:
        print(len(recs))
    elif a.p:
        for r in recs:
            v = r.get(a.p, '')
            print(','.join(v) if isinstance(v, list) else v)
    elif a.sessions:
        by = {}
        for r in recs:
            sid = r.get('Acct-Session-Id')
            if sid is None or isinstance(sid, list):
                continue
            s = by.setdefault(sid, {'Start': 0, 'Interim-Update': 0, 'Stop': 0})
            t = r.get('Acct-Status-Type', '?')
            s[t] = s.get(t, 0) + 1
            if t == 'Start' and 'start' not in s:
                s['start'] = r
            if t == 'Stop':
                s['stop'] = r
        for sid, s in by.items():
            print(json.dumps({'Acct-Session-Id': sid, **s}))
    else:
        for r in recs:
            print(json.dumps(r))
    return 0


if __name__ == '__main__':
    sys.exit(main())
