# L2TP control plane state machines (RFC 2661 §5.8, §7.2, §7.4, Appendix A).
FSM_L2TP_CODEC := src/codec/l2tp.c src/codec/l2tp_avp.c src/codec/l2tp_hide.c \
	src/codec/l2tp_build.c src/codec/buf.c
FSM_L2TP_SRCS := src/fsm/l2tp_rel.c src/fsm/l2tp_ids.c src/fsm/l2tp_tunnel.c \
	src/fsm/l2tp_session.c $(FSM_L2TP_CODEC)

FSM_TESTS += fsm_l2tp_rel
fsm_l2tp_rel_SRCS := tests/fsm/fsm_l2tp_rel.c src/fsm/l2tp_rel.c $(FSM_L2TP_CODEC)
fsm_l2tp_rel_LIBS := -lnettle

FSM_TESTS += fsm_l2tp_tunnel
fsm_l2tp_tunnel_SRCS := tests/fsm/fsm_l2tp_tunnel.c $(FSM_L2TP_SRCS)
fsm_l2tp_tunnel_LIBS := -lnettle

FSM_TESTS += fsm_l2tp_session
fsm_l2tp_session_SRCS := tests/fsm/fsm_l2tp_session.c $(FSM_L2TP_SRCS)
fsm_l2tp_session_LIBS := -lnettle

FSM_TESTS += fsm_l2tp_storm
fsm_l2tp_storm_SRCS := tests/fsm/fsm_l2tp_storm.c $(FSM_L2TP_SRCS)
fsm_l2tp_storm_LIBS := -lnettle
