# UDP reflector for lacsim's data tests (tools/udpecho/udpecho.c).
PROGRAMS += udpecho
udpecho_SRCS := tools/udpecho/udpecho.c
