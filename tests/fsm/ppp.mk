# PPP state machines (RFC 1661 automaton, LCP/IPCP/IPV6CP/CCP, PAP/CHAP, link).
FSM_PPP_SRCS := src/fsm/ppp_fsm.c src/fsm/ppp_cp.c src/fsm/ppp_lcp.c src/fsm/ppp_ncp.c \
	src/fsm/ppp_auth.c src/fsm/ppp_link.c \
	src/codec/ppp.c src/codec/ppp_lcp.c src/codec/ppp_ncp.c src/codec/ppp_auth.c src/codec/buf.c

# the automaton alone, against the hand transcription of RFC 1661 §4.1
FSM_TESTS += fsm_ppp_table
fsm_ppp_table_SRCS := tests/fsm/fsm_ppp_table.c src/fsm/ppp_fsm.c

FSM_TESTS += fsm_ppp_session
fsm_ppp_session_SRCS := tests/fsm/fsm_ppp_session.c $(FSM_PPP_SRCS)
fsm_ppp_session_LIBS := -lnettle

FSM_TESTS += fsm_ppp_interop
fsm_ppp_interop_SRCS := tests/fsm/fsm_ppp_interop.c $(FSM_PPP_SRCS)
fsm_ppp_interop_LIBS := -lnettle

FSM_TESTS += fsm_ppp_random
fsm_ppp_random_SRCS := tests/fsm/fsm_ppp_random.c $(FSM_PPP_SRCS)
fsm_ppp_random_LIBS := -lnettle
