# Host-side one-way UDP source for the downstream figures of `make bench`
# (tools/bench/run.sh): learns session addresses, then blasts them.
BENCHES += udpblast
udpblast_SRCS := tools/bench/udpblast.c
