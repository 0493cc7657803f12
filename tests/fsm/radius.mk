# RADIUS request retransmission / failover automaton.
FSM_TESTS += fsm_radius_req
fsm_radius_req_SRCS := tests/fsm/fsm_radius_req.c src/fsm/radius_req.c
