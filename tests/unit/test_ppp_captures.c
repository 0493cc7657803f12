/*
 * Every distinct PPP control packet of ../shared/captures/{ppp,l2tp}/ (LCP,
 * PAP, CHAP, IPCP, IPV6CP, CCP; 192 frames from Cisco, Windows, pppd,
 * l2tpns, xl2tpd and PPPoE/PPTP equipment) must decode to the Code,
 * Identifier and option types tshark reports for it, and build back to the
 * same octets: Configure-* by echoing the raw options and (for LCP, IPCP,
 * IPV6CP) from the typed options, everything else from its decoded fields.
 * The table below was generated once with tshark 4.0 (-T json -x) and is
 * independent of our decoder.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "codec/ppp.h"

struct capframe {
	const char *file;
	unsigned frame;
	uint8_t code, id;
	uint8_t nopts;
	uint8_t types[12];
	const char *hex;
};

static const struct capframe frames[] = {
	{"john-samples__lulu-password-pptp.pcap", 15, 1, 1, 5, {2, 3, 5, 7, 8},
	 "ff03c021010100190206000000000305c223810506aa47110607020802"},
	{"john-samples__lulu-password-pptp.pcap", 17, 1, 0, 5, {1, 5, 7, 8, 13},
	 "ff03c021010000150104057805060c6f3548070208020d0306"},
	{"john-samples__lulu-password-pptp.pcap", 18, 4, 0, 1, {13},
	 "ff03c021040000070d0306"},
	{"john-samples__lulu-password-pptp.pcap", 19, 1, 1, 4, {1, 5, 7, 8},
	 "ff03c021010100120104057805060c6f354807020802"},
	{"john-samples__lulu-password-pptp.pcap", 20, 2, 1, 4, {1, 5, 7, 8},
	 "ff03c021020100120104057805060c6f354807020802"},
	{"john-samples__lulu-password-pptp.pcap", 26, 2, 1, 5, {2, 3, 5, 7, 8},
	 "ff03c021020100190206000000000305c223810506aa47110607020802"},
	{"john-samples__lulu-password-pptp.pcap", 27, 9, 0, 0, {},
	 "c02109000008aa471106"},
	{"john-samples__lulu-password-pptp.pcap", 28, 1, 136, 0, {},
	 "c2230188001a1095a87fa62ebcd2e3c8b09e1b448a6c727070747064"},
	{"john-samples__lulu-password-pptp.pcap", 31, 12, 2, 0, {},
	 "c0210c0200120c6f35484d5352415356352e3230"},
	{"john-samples__lulu-password-pptp.pcap", 32, 12, 3, 0, {},
	 "c0210c03001f0c6f35484d535241532d302d57494e2d375253534333385456434c"},
	{"john-samples__lulu-password-pptp.pcap", 33, 12, 4, 0, {},
	 "c0210c0400180c6f35480cdc79f6c5cc464ba2ecd0e20e25b44a"},
	{"john-samples__lulu-password-pptp.pcap", 34, 10, 0, 0, {},
	 "c0210a0000080c6f3548"},
	{"john-samples__lulu-password-pptp.pcap", 35, 2, 136, 0, {},
	 "c2230288003a31e2ae0995eaac6ceff0d9757428b515090000000000000000ed8cc90fd40faa2d6bcd0a"
	 "bd0b1f562fd777df6c5609c98b006c756c75"},
	{"john-samples__lulu-password-pptp.pcap", 36, 3, 136, 0, {},
	 "c2230388003f533d34363038373445314341444633354642443946364538304330314131414443353734"
	 "364630423641204d3d416363657373206772616e746564"},
	{"john-samples__lulu-password-pptp.pcap", 37, 1, 1, 1, {18},
	 "80fd0101000a120601000040"},
	{"john-samples__lulu-password-pptp.pcap", 38, 1, 5, 1, {1},
	 "80570105000e010adc15159b5957c96d"},
	{"john-samples__lulu-password-pptp.pcap", 39, 8, 2, 0, {},
	 "c0210802001480570105000e010adc15159b5957c96d"},
	{"john-samples__lulu-password-pptp.pcap", 40, 1, 6, 1, {18},
	 "80fd0106000a120601000040"},
	{"john-samples__lulu-password-pptp.pcap", 41, 2, 6, 1, {18},
	 "80fd0206000a120601000040"},
	{"john-samples__lulu-password-pptp.pcap", 42, 1, 7, 5, {3, 129, 130, 131, 132},
	 "802101070022030600000000810600000000820600000000830600000000840600000000"},
	{"john-samples__lulu-password-pptp.pcap", 43, 6, 7, 0, {},
	 "802106070004"},
	{"john-samples__lulu-password-pptp.pcap", 44, 2, 1, 1, {18},
	 "80fd0201000a120601000040"},
	{"john-samples__lulu-password-pptp.pcap", 45, 1, 1, 1, {3},
	 "80210101000a0306c0a80202"},
	{"john-samples__lulu-password-pptp.pcap", 46, 2, 1, 1, {3},
	 "80210201000a0306c0a80202"},
	{"john-samples__lulu-password-pptp.pcap", 48, 1, 8, 5, {3, 129, 130, 131, 132},
	 "802101080022030600000000810600000000820600000000830600000000840600000000"},
	{"john-samples__lulu-password-pptp.pcap", 49, 4, 8, 4, {129, 130, 131, 132},
	 "80210408001c810600000000820600000000830600000000840600000000"},
	{"john-samples__lulu-password-pptp.pcap", 50, 1, 9, 1, {3},
	 "80210109000a030600000000"},
	{"john-samples__lulu-password-pptp.pcap", 51, 3, 9, 1, {3},
	 "80210309000a0306c0a802ea"},
	{"john-samples__lulu-password-pptp.pcap", 52, 1, 10, 1, {3},
	 "8021010a000a0306c0a802ea"},
	{"john-samples__lulu-password-pptp.pcap", 53, 2, 10, 1, {3},
	 "8021020a000a0306c0a802ea"},
	{"pcapplusplus__PPPoESession.pcap", 1, 2, 2, 3, {1, 3, 5},
	 "c02102020012010405dc0304c023050601fccbfb"},
	{"tcpdump__pppoes.pcap", 1, 9, 106, 0, {},
	 "c021096a000ca4cbea340ee2f609"},
	{"tcpdump__pppoes.pcap", 2, 9, 103, 0, {},
	 "c0210967000cb480d7ba73b72012"},
	{"tcpdump__pptp.pcap", 16, 1, 0, 6, {5, 7, 8, 13, 17, 19},
	 "ff03c0210100002c0506021952cf070208020d03061104064e13170129f76a9077f1472c835247f271d6"
	 "56070000000c"},
	{"zeek__pppoe.pcap", 5, 1, 1, 1, {5},
	 "c0210101000a050605fcd459"},
	{"zeek__pppoe.pcap", 6, 1, 1, 3, {1, 3, 5},
	 "c02101010012010405d40304c023050601fccbfb"},
	{"zeek__pppoe.pcap", 7, 2, 1, 1, {5},
	 "c0210201000a050605fcd459"},
	{"zeek__pppoe.pcap", 8, 3, 1, 1, {1},
	 "c02103010008010405dc"},
	{"zeek__pppoe.pcap", 9, 1, 2, 3, {1, 3, 5},
	 "c02101020012010405dc0304c023050601fccbfb"},
	{"zeek__pppoe.pcap", 11, 1, 1, 0, {},
	 "c0230101001005636973636f05636973636f"},
	{"zeek__pppoe.pcap", 12, 2, 1, 0, {},
	 "c0230201000500"},
	{"zeek__pppoe.pcap", 13, 1, 1, 1, {3},
	 "80210101000a03060a000001"},
	{"zeek__pppoe.pcap", 14, 1, 1, 1, {1},
	 "80570101000e010ac8010efffe880008"},
	{"zeek__pppoe.pcap", 15, 1, 1, 1, {3},
	 "80210101000a030600000000"},
	{"zeek__pppoe.pcap", 16, 1, 1, 1, {1},
	 "80570101000e010ace050efffe880000"},
	{"zeek__pppoe.pcap", 17, 2, 1, 1, {3},
	 "80210201000a03060a000001"},
	{"zeek__pppoe.pcap", 18, 2, 1, 1, {1},
	 "80570201000e010ac8010efffe880008"},
	{"zeek__pppoe.pcap", 19, 3, 1, 1, {3},
	 "80210301000a03060a000210"},
	{"zeek__pppoe.pcap", 20, 2, 1, 1, {1},
	 "80570201000e010ace050efffe880000"},
	{"zeek__pppoe.pcap", 21, 1, 2, 1, {3},
	 "80210102000a03060a000210"},
	{"zeek__pppoe.pcap", 27, 2, 2, 1, {3},
	 "80210202000a03060a000210"},
	{"zeek__pppoe.pcap", 28, 9, 1, 0, {},
	 "c0210901000c05fcd45901fccbfb"},
	{"zeek__pppoe.pcap", 29, 10, 1, 0, {},
	 "c0210a01000c01fccbfb01fccbfb"},
	{"zeek__pppoe.pcap", 40, 9, 1, 0, {},
	 "c0210901000c01fccbfb05fcd459"},
	{"zeek__pppoe.pcap", 41, 10, 1, 0, {},
	 "c0210a01000c05fcd45905fcd459"},
	{"zeek__pppoe.pcap", 42, 9, 2, 0, {},
	 "c0210902000c05fcd45901fccbfb"},
	{"zeek__pppoe.pcap", 43, 10, 2, 0, {},
	 "c0210a02000c01fccbfb01fccbfb"},
	{"zeek__pppoe.pcap", 44, 9, 2, 0, {},
	 "c0210902000c01fccbfb05fcd459"},
	{"zeek__pppoe.pcap", 45, 10, 2, 0, {},
	 "c0210a02000c05fcd45905fcd459"},
	{"zeek__pppoe.pcap", 46, 9, 3, 0, {},
	 "c0210903000c05fcd45901fccbfb"},
	{"zeek__pppoe.pcap", 47, 10, 3, 0, {},
	 "c0210a03000c01fccbfb01fccbfb"},
	{"zeek__pppoe.pcap", 48, 9, 3, 0, {},
	 "c0210903000c01fccbfb05fcd459"},
	{"zeek__pppoe.pcap", 49, 10, 3, 0, {},
	 "c0210a03000c05fcd45905fcd459"},
	{"zeek__pppoe.pcap", 50, 9, 4, 0, {},
	 "c0210904000c05fcd45901fccbfb"},
	{"zeek__pppoe.pcap", 51, 10, 4, 0, {},
	 "c0210a04000c01fccbfb01fccbfb"},
	{"zeek__pppoe.pcap", 52, 9, 4, 0, {},
	 "c0210904000c01fccbfb05fcd459"},
	{"zeek__pppoe.pcap", 53, 10, 4, 0, {},
	 "c0210a04000c05fcd45905fcd459"},
	{"zeek__pppoe.pcap", 64, 9, 5, 0, {},
	 "c0210905000c05fcd45901fccbfb"},
	{"zeek__pppoe.pcap", 65, 10, 5, 0, {},
	 "c0210a05000c01fccbfb01fccbfb"},
	{"packetlife__PPP_EAP.cap", 1, 1, 69, 2, {3, 5},
	 "ff03c0210145000e0304c2270506012f4de5"},
	{"packetlife__PPP_EAP.cap", 2, 1, 154, 2, {3, 5},
	 "ff03c021019a000e0304c2270506022f4c9a"},
	{"packetlife__PPP_EAP.cap", 3, 2, 69, 2, {3, 5},
	 "ff03c0210245000e0304c2270506012f4de5"},
	{"packetlife__PPP_EAP.cap", 4, 2, 154, 2, {3, 5},
	 "ff03c021029a000e0304c2270506022f4c9a"},
	{"packetlife__PPP_EAP.cap", 15, 1, 1, 1, {3},
	 "ff0380210101000a03060a000002"},
	{"packetlife__PPP_EAP.cap", 17, 1, 1, 1, {3},
	 "ff0380210101000a03060a000001"},
	{"packetlife__PPP_EAP.cap", 18, 2, 1, 1, {3},
	 "ff0380210201000a03060a000002"},
	{"packetlife__PPP_EAP.cap", 20, 2, 1, 1, {3},
	 "ff0380210201000a03060a000001"},
	{"packetlife__PPP_EAP.cap", 22, 9, 1, 0, {},
	 "ff03c0210901000c022f4c9a012f4de5"},
	{"packetlife__PPP_EAP.cap", 23, 10, 1, 0, {},
	 "ff03c0210a01000c012f4de5012f4de5"},
	{"packetlife__PPP_EAP.cap", 24, 9, 1, 0, {},
	 "ff03c0210901000c012f4de5022f4c9a"},
	{"packetlife__PPP_EAP.cap", 25, 10, 1, 0, {},
	 "ff03c0210a01000c022f4c9a022f4c9a"},
	{"packetlife__PPP_EAP.cap", 32, 9, 2, 0, {},
	 "ff03c0210902000c022f4c9a012f4de5"},
	{"packetlife__PPP_EAP.cap", 33, 10, 2, 0, {},
	 "ff03c0210a02000c012f4de5012f4de5"},
	{"packetlife__PPP_EAP.cap", 34, 9, 2, 0, {},
	 "ff03c0210902000c012f4de5022f4c9a"},
	{"packetlife__PPP_EAP.cap", 35, 10, 2, 0, {},
	 "ff03c0210a02000c022f4c9a022f4c9a"},
	{"packetlife__PPP_EAP.cap", 37, 9, 3, 0, {},
	 "ff03c0210903000c022f4c9a012f4de5"},
	{"packetlife__PPP_EAP.cap", 38, 10, 3, 0, {},
	 "ff03c0210a03000c012f4de5012f4de5"},
	{"packetlife__PPP_EAP.cap", 39, 9, 3, 0, {},
	 "ff03c0210903000c012f4de5022f4c9a"},
	{"packetlife__PPP_EAP.cap", 40, 10, 3, 0, {},
	 "ff03c0210a03000c022f4c9a022f4c9a"},
	{"packetlife__PPP_EAP.cap", 41, 9, 4, 0, {},
	 "ff03c0210904000c022f4c9a012f4de5"},
	{"packetlife__PPP_EAP.cap", 42, 10, 4, 0, {},
	 "ff03c0210a04000c012f4de5012f4de5"},
	{"packetlife__PPP_EAP.cap", 43, 9, 4, 0, {},
	 "ff03c0210904000c012f4de5022f4c9a"},
	{"packetlife__PPP_EAP.cap", 44, 10, 4, 0, {},
	 "ff03c0210a04000c022f4c9a022f4c9a"},
	{"packetlife__PPP_EAP.cap", 45, 9, 5, 0, {},
	 "ff03c0210905000c022f4c9a012f4de5"},
	{"packetlife__PPP_EAP.cap", 46, 10, 5, 0, {},
	 "ff03c0210a05000c012f4de5012f4de5"},
	{"packetlife__PPP_EAP.cap", 47, 9, 5, 0, {},
	 "ff03c0210905000c012f4de5022f4c9a"},
	{"packetlife__PPP_EAP.cap", 48, 10, 5, 0, {},
	 "ff03c0210a05000c022f4c9a022f4c9a"},
	{"packetlife__PPP_EAP.cap", 49, 9, 6, 0, {},
	 "ff03c0210906000c022f4c9a012f4de5"},
	{"packetlife__PPP_EAP.cap", 50, 10, 6, 0, {},
	 "ff03c0210a06000c012f4de5012f4de5"},
	{"packetlife__PPP_EAP.cap", 51, 9, 6, 0, {},
	 "ff03c0210906000c012f4de5022f4c9a"},
	{"packetlife__PPP_EAP.cap", 52, 10, 6, 0, {},
	 "ff03c0210a06000c022f4c9a022f4c9a"},
	{"packetlife__PPP_negotiation.cap", 1, 1, 1, 2, {3, 5},
	 "ff03c0210101000f0305c223050506012ce96d"},
	{"packetlife__PPP_negotiation.cap", 2, 1, 2, 2, {3, 5},
	 "ff03c0210102000f0305c223050506012ce96d"},
	{"packetlife__PPP_negotiation.cap", 3, 1, 1, 2, {3, 5},
	 "ff03c0210101000f0305c223050506002cf2a0"},
	{"packetlife__PPP_negotiation.cap", 4, 2, 2, 2, {3, 5},
	 "ff03c0210202000f0305c223050506012ce96d"},
	{"packetlife__PPP_negotiation.cap", 5, 2, 1, 2, {3, 5},
	 "ff03c0210201000f0305c223050506002cf2a0"},
	{"packetlife__PPP_negotiation.cap", 6, 1, 1, 0, {},
	 "ff03c223010100171041528c199fe22713cda522d45c7af9ad5231"},
	{"packetlife__PPP_negotiation.cap", 7, 1, 1, 0, {},
	 "ff03c223010100171046d67efdd5b7bbf2298ae558f58450245230"},
	{"packetlife__PPP_negotiation.cap", 8, 2, 1, 0, {},
	 "ff03c2230201001710dc73196880578b12670b8d231b8e69f95230"},
	{"packetlife__PPP_negotiation.cap", 9, 2, 1, 0, {},
	 "ff03c223020100171087604b0ef5e48c4558bf40def88cb10e5231"},
	{"packetlife__PPP_negotiation.cap", 10, 3, 1, 0, {},
	 "ff03c22303010004"},
	{"packetlife__PPP_negotiation.cap", 20, 9, 1, 0, {},
	 "ff03c0210901000c012ce96d002cf2a0"},
	{"packetlife__PPP_negotiation.cap", 21, 10, 1, 0, {},
	 "ff03c0210a01000c002cf2a0002cf2a0"},
	{"packetlife__PPP_negotiation.cap", 22, 9, 1, 0, {},
	 "ff03c0210901000c002cf2a0012ce96d"},
	{"packetlife__PPP_negotiation.cap", 23, 10, 1, 0, {},
	 "ff03c0210a01000c012ce96d012ce96d"},
	{"packetlife__PPP_negotiation.cap", 28, 9, 2, 0, {},
	 "ff03c0210902000c012ce96d002cf2a0"},
	{"packetlife__PPP_negotiation.cap", 29, 10, 2, 0, {},
	 "ff03c0210a02000c002cf2a0002cf2a0"},
	{"packetlife__PPP_negotiation.cap", 30, 9, 2, 0, {},
	 "ff03c0210902000c002cf2a0012ce96d"},
	{"packetlife__PPP_negotiation.cap", 31, 10, 2, 0, {},
	 "ff03c0210a02000c012ce96d012ce96d"},
	{"packetlife__PPP_negotiation.cap", 42, 9, 3, 0, {},
	 "ff03c0210903000c002cf2a0012ce96d"},
	{"packetlife__PPP_negotiation.cap", 43, 10, 3, 0, {},
	 "ff03c0210a03000c012ce96d012ce96d"},
	{"packetlife__PPP_negotiation.cap", 44, 9, 3, 0, {},
	 "ff03c0210903000c012ce96d002cf2a0"},
	{"packetlife__PPP_negotiation.cap", 45, 10, 3, 0, {},
	 "ff03c0210a03000c002cf2a0002cf2a0"},
	{"packetlife__PPP_negotiation.cap", 46, 9, 4, 0, {},
	 "ff03c0210904000c002cf2a0012ce96d"},
	{"packetlife__PPP_negotiation.cap", 47, 10, 4, 0, {},
	 "ff03c0210a04000c012ce96d012ce96d"},
	{"packetlife__PPP_negotiation.cap", 48, 9, 4, 0, {},
	 "ff03c0210904000c012ce96d002cf2a0"},
	{"packetlife__PPP_negotiation.cap", 49, 10, 4, 0, {},
	 "ff03c0210a04000c002cf2a0002cf2a0"},
	{"packetlife__PPP_negotiation.cap", 50, 9, 5, 0, {},
	 "ff03c0210905000c012ce96d002cf2a0"},
	{"packetlife__PPP_negotiation.cap", 51, 10, 5, 0, {},
	 "ff03c0210a05000c002cf2a0002cf2a0"},
	{"packetlife__PPP_negotiation.cap", 52, 9, 5, 0, {},
	 "ff03c0210905000c002cf2a0012ce96d"},
	{"packetlife__PPP_negotiation.cap", 53, 10, 5, 0, {},
	 "ff03c0210a05000c012ce96d012ce96d"},
	{"packetlife__PPP_negotiation.cap", 54, 9, 6, 0, {},
	 "ff03c0210906000c002cf2a0012ce96d"},
	{"packetlife__PPP_negotiation.cap", 55, 10, 6, 0, {},
	 "ff03c0210a06000c012ce96d012ce96d"},
	{"packetlife__PPP_negotiation.cap", 56, 9, 6, 0, {},
	 "ff03c0210906000c012ce96d002cf2a0"},
	{"packetlife__PPP_negotiation.cap", 57, 10, 6, 0, {},
	 "ff03c0210a06000c002cf2a0002cf2a0"},
	{"packetlife__PPP_negotiation.cap", 58, 9, 7, 0, {},
	 "ff03c0210907000c002cf2a0012ce96d"},
	{"packetlife__PPP_negotiation.cap", 59, 10, 7, 0, {},
	 "ff03c0210a07000c012ce96d012ce96d"},
	{"packetlife__PPP_negotiation.cap", 60, 9, 7, 0, {},
	 "ff03c0210907000c012ce96d002cf2a0"},
	{"packetlife__PPP_negotiation.cap", 61, 10, 7, 0, {},
	 "ff03c0210a07000c002cf2a0002cf2a0"},
	{"packetlife__PPTP_negotiation.cap", 11, 1, 0, 1, {5},
	 "ff03c0210100000a05060a94c166"},
	{"packetlife__PPTP_negotiation.cap", 13, 1, 1, 2, {3, 5},
	 "ff03c0210101000e0304c02305060f3f117c"},
	{"packetlife__PPTP_negotiation.cap", 14, 2, 1, 2, {3, 5},
	 "ff03c0210201000e0304c02305060f3f117c"},
	{"packetlife__PPTP_negotiation.cap", 15, 1, 1, 1, {5},
	 "ff03c0210101000a05060a94c166"},
	{"packetlife__PPTP_negotiation.cap", 16, 2, 1, 1, {5},
	 "ff03c0210201000a05060a94c166"},
	{"packetlife__PPTP_negotiation.cap", 17, 1, 0, 0, {},
	 "ff03c0230100000e04697869610469786961"},
	{"packetlife__PPTP_negotiation.cap", 18, 2, 0, 0, {},
	 "ff03c0230200000500"},
	{"packetlife__PPTP_negotiation.cap", 19, 1, 0, 1, {3},
	 "ff0380210100000a030600000000"},
	{"packetlife__PPTP_negotiation.cap", 20, 1, 1, 1, {3},
	 "ff0380210101000a030611010176"},
	{"packetlife__PPTP_negotiation.cap", 21, 2, 1, 1, {3},
	 "ff0380210201000a030611010176"},
	{"packetlife__PPTP_negotiation.cap", 22, 3, 0, 1, {3},
	 "ff0380210300000a03061101017a"},
	{"packetlife__PPTP_negotiation.cap", 23, 1, 1, 1, {3},
	 "ff0380210101000a03061101017a"},
	{"packetlife__PPTP_negotiation.cap", 24, 2, 1, 1, {3},
	 "ff0380210201000a03061101017a"},
	{"packetnet__l2tp.pcap", 1, 9, 72, 0, {},
	 "ff03c0210948000cc1343922e7e18ff6"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 12, 1, 1, 5, {1, 3, 5, 17, 19},
	 "ff03c0210101001d010405b60304c02305066b05460e1104064e1307020a630001"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 13, 1, 0, 2, {1, 3},
	 "c0210100000c010405dc0304c023"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 14, 2, 0, 2, {1, 3},
	 "ff03c0210200000c010405dc0304c023"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 24, 2, 1, 0, {},
	 "c02102010004"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 25, 1, 1, 0, {},
	 "c023010100291c64736c6c6f61647465737431406f707475736e65742e636f6d2e61750774657374696e"
	 "67"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 27, 1, 1, 0, {},
	 "c023010100291c64736c6c6f61647465737432406f707475736e65742e636f6d2e61750774657374696e"
	 "67"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 29, 1, 1, 0, {},
	 "c023010100291c64736c6c6f61647465737433406f707475736e65742e636f6d2e61750774657374696e"
	 "67"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 30, 2, 1, 0, {},
	 "ff03c0230201000500"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 31, 1, 0, 1, {3},
	 "ff0380210100000a03060a630001"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 32, 1, 196, 1, {3},
	 "802101c4000a030600000000"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 33, 3, 196, 1, {3},
	 "ff03802103c4000a03060a636002"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 35, 1, 1, 1, {3},
	 "ff0380210101000a03060a630001"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 37, 1, 2, 1, {3},
	 "ff0380210102000a03060a630001"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 38, 2, 196, 1, {3},
	 "802102c4000a03060a630001"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 39, 1, 196, 1, {3},
	 "802101c4000a03060a636002"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 44, 2, 196, 1, {3},
	 "ff03802102c4000a03060a636002"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 45, 3, 196, 1, {3},
	 "ff03802103c4000a03060a636001"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 46, 3, 196, 1, {3},
	 "ff03802103c4000a03060a636003"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 47, 1, 196, 1, {3},
	 "802101c4000a03060a636001"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 48, 2, 196, 1, {3},
	 "ff03802102c4000a03060a636001"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 49, 1, 196, 1, {3},
	 "802101c4000a03060a636003"},
	{"rig__generateload-lac__l2tpns-2.4.1-lns.pcap", 50, 2, 196, 1, {3},
	 "ff03802102c4000a03060a636003"},
	{"rig__xl2tpd-lac-no-ppp__l2tpns-2.4.1-lns.pcapng", 9, 1, 1, 5, {1, 3, 5, 17, 19},
	 "ff03c0210101001d010405b60304c02305066b05421d1104064e1307020a630001"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 10, 1, 1, 5, {1, 3, 5, 17, 19},
	 "ff03c0210101001d010405b60304c02305066b0546181104064e1307020a630001"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 11, 1, 1, 3, {1, 2, 5},
	 "ff03c021010100140104057802060000000005062e75fb90"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 12, 2, 1, 3, {1, 2, 5},
	 "ff03c021020100140104057802060000000005062e75fb90"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 13, 1, 2, 5, {1, 3, 5, 17, 19},
	 "ff03c0210102001d010405b60304c02305066b0546181104064e1307020a630001"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 14, 4, 2, 1, {17},
	 "ff03c021040200081104064e"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 15, 1, 3, 4, {1, 3, 5, 19},
	 "ff03c02101030019010405b60304c02305066b0546181307020a630001"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 16, 2, 3, 4, {1, 3, 5, 19},
	 "ff03c02102030019010405b60304c02305066b0546181307020a630001"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 17, 1, 1, 0, {},
	 "ff03c0230101001407726967746573740772696770617373"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 19, 1, 3, 1, {3},
	 "ff0380210103000a03060a630001"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 20, 1, 1, 1, {3},
	 "ff0380210101000a030600000000"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 21, 3, 1, 1, {3},
	 "ff0380210301000a03060a63c80a"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 22, 1, 1, 1, {1},
	 "ff0380570101000e010a75e8e2d503a96faa"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 23, 8, 4, 0, {},
	 "ff03c0210804001480570101000e010a75e8e2d503a96faa"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 24, 2, 3, 1, {3},
	 "ff0380210203000a03060a630001"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 25, 1, 2, 1, {3},
	 "ff0380210102000a03060a63c80a"},
	{"rig__xl2tpd-pppd-lac__l2tpns-2.4.1-lns.pcap", 26, 2, 2, 1, {3},
	 "ff0380210202000a03060a63c80a"},
};

static size_t unhex(const char *s, uint8_t *buf, size_t cap)
{
	size_t n = 0;

	for (; s[0] && s[1]; s += 2) {
		unsigned v = 0;
		for (int k = 0; k < 2; k++) {
			char c = s[k];
			v = v << 4 | (unsigned)(c <= '9' ? c - '0' : c - 'a' + 10);
		}
		assert_true(n < cap);
		buf[n++] = (uint8_t)v;
	}
	return n;
}

static uint8_t out[4096];

static void check_conf(const struct capframe *cf, uint16_t proto, const struct ppp_cp *c,
		       const struct ppp_optlist *l)
{
	struct wr w;

	assert_int_equal(l->n, cf->nopts);
	for (unsigned i = 0; i < l->n; i++) {
		assert_int_equal(l->o[i].type, cf->types[i]);
		/* real equipment sends well-formed options */
		assert_false(l->o[i].flags & PPP_OPT_F_BAD);
		assert_non_null(ppp_opt_name(proto, l->o[i].type));
	}
	wr_init(&w, out, sizeof out);
	assert_int_equal(ppp_conf_echo(&w, c->code, c->id, c, l, ~UINT64_C(0)), c->len);
	assert_memory_equal(out, c->pkt, c->len);
}

static void lcp_frame(const struct capframe *cf, const uint8_t *p, size_t len)
{
	static struct ppp_lcp_pkt m, m2;
	struct wr w;
	int n = -1;

	assert_int_equal(ppp_lcp_decode(p, len, &m), PPP_OK);
	assert_int_equal(m.cp.code, cf->code);
	assert_int_equal(m.cp.id, cf->id);
	wr_init(&w, out, sizeof out);
	switch (m.cp.code) {
	case PPP_CONF_REQ:
	case PPP_CONF_ACK:
	case PPP_CONF_NAK:
	case PPP_CONF_REJ:
		check_conf(cf, PPP_PROTO_LCP, &m.cp, &m.opts);
		wr_init(&w, out, sizeof out);
		n = ppp_lcp_conf_build(&w, m.cp.code, m.cp.id, &m.lcp);
		assert_true(n >= 4);
		assert_int_equal(ppp_lcp_decode(out, (size_t)n, &m2), PPP_OK);
		assert_int_equal(m2.lcp.present, m.lcp.present);
		assert_int_equal(m2.lcp.mru, m.lcp.mru);
		assert_int_equal(m2.lcp.magic, m.lcp.magic);
		assert_int_equal(m2.lcp.auth_proto, m.lcp.auth_proto);
		return;
	case PPP_TERM_REQ:
	case PPP_TERM_ACK:
		n = ppp_term_build(&w, m.cp.code, m.cp.id, m.rest, m.rest_len);
		break;
	case PPP_PROTO_REJ:
		n = ppp_proto_rej_build(&w, m.cp.id, m.rej_proto, m.rest, m.rest_len, 1500);
		break;
	case PPP_ECHO_REQ:
	case PPP_ECHO_REP:
	case PPP_DISCARD_REQ:
		n = ppp_echo_build(&w, m.cp.code, m.cp.id, m.magic, m.rest, m.rest_len);
		break;
	case PPP_IDENTIFICATION:
		n = ppp_ident_build(&w, m.cp.id, m.magic, m.rest, m.rest_len);
		break;
	default:
		fail_msg("%s #%u: LCP code %u not expected in the captures", cf->file, cf->frame,
			 m.cp.code);
	}
	assert_int_equal(n, m.cp.len);
	assert_memory_equal(out, m.cp.pkt, m.cp.len);
}

static void ncp_frame(const struct capframe *cf, uint16_t proto, const uint8_t *p, size_t len)
{
	static struct ppp_ncp_pkt m, m2;
	struct wr w;
	int n;

	assert_int_equal(ppp_ncp_decode(proto, p, len, &m), PPP_OK);
	assert_int_equal(m.cp.code, cf->code);
	assert_int_equal(m.cp.id, cf->id);
	if (m.cp.code > PPP_CONF_REJ) {
		wr_init(&w, out, sizeof out);
		assert_int_equal(ppp_cp_build(&w, m.cp.code, m.cp.id, m.rest, m.rest_len), m.cp.len);
		assert_memory_equal(out, m.cp.pkt, m.cp.len);
		return;
	}
	check_conf(cf, proto, &m.cp, &m.opts);
	wr_init(&w, out, sizeof out);
	if (proto == PPP_PROTO_IPCP) {
		n = ppp_ipcp_conf_build(&w, m.cp.code, m.cp.id, &m.ipcp);
		assert_true(n >= 4);
		assert_int_equal(ppp_ncp_decode(proto, out, (size_t)n, &m2), PPP_OK);
		assert_int_equal(m2.ipcp.present, m.ipcp.present);
		assert_int_equal(m2.ipcp.addr, m.ipcp.addr);
		assert_int_equal(m2.ipcp.dns1, m.ipcp.dns1);
		assert_int_equal(m2.ipcp.dns2, m.ipcp.dns2);
	} else if (proto == PPP_PROTO_IPV6CP) {
		n = ppp_ipv6cp_conf_build(&w, m.cp.code, m.cp.id, &m.ipv6cp);
		assert_true(n >= 4);
		assert_int_equal(ppp_ncp_decode(proto, out, (size_t)n, &m2), PPP_OK);
		assert_int_equal(m2.ipv6cp.present, m.ipv6cp.present);
		assert_memory_equal(m2.ipv6cp.ifid, m.ipv6cp.ifid, 8);
	}
}

static void auth_frame(const struct capframe *cf, uint16_t proto, const uint8_t *p, size_t len)
{
	struct wr w;
	int n = -1;

	wr_init(&w, out, sizeof out);
	if (proto == PPP_PROTO_PAP) {
		struct ppp_pap_pkt m;
		assert_int_equal(ppp_pap_decode(p, len, &m), PPP_OK);
		assert_int_equal(m.cp.code, cf->code);
		assert_int_equal(m.cp.id, cf->id);
		if (m.cp.code == PPP_PAP_AUTH_REQ)
			n = ppp_pap_req_build(&w, m.cp.id, m.peer_id, m.peer_id_len, m.passwd,
					      m.passwd_len);
		else
			n = ppp_pap_reply_build(&w, m.cp.code, m.cp.id, m.msg, m.msg_len);
		assert_int_equal(n, m.cp.len);
		assert_memory_equal(out, m.cp.pkt, m.cp.len);
		return;
	}
	struct ppp_chap_pkt m;
	assert_int_equal(ppp_chap_decode(p, len, &m), PPP_OK);
	assert_int_equal(m.cp.code, cf->code);
	assert_int_equal(m.cp.id, cf->id);
	if (m.cp.code <= PPP_CHAP_RESPONSE)
		n = ppp_chap_value_build(&w, m.cp.code, m.cp.id, m.value, m.value_len, m.name,
					 m.name_len);
	else
		n = ppp_chap_result_build(&w, m.cp.code, m.cp.id, m.msg, m.msg_len);
	assert_int_equal(n, m.cp.len);
	assert_memory_equal(out, m.cp.pkt, m.cp.len);
}

static void every_captured_control_packet(void **state)
{
	(void)state;
	unsigned count[6] = {0};

	for (unsigned i = 0; i < sizeof frames / sizeof frames[0]; i++) {
		const struct capframe *cf = &frames[i];
		uint8_t b[2048];
		struct ppp_frame f;
		size_t n = unhex(cf->hex, b, sizeof b);

		assert_int_equal(ppp_frame_decode(b, n, &f), PPP_OK);
		assert_non_null(ppp_code_name(f.proto, cf->code));
		switch (f.proto) {
		case PPP_PROTO_LCP:
			lcp_frame(cf, f.payload, f.payload_len);
			count[0]++;
			break;
		case PPP_PROTO_IPCP:
			ncp_frame(cf, f.proto, f.payload, f.payload_len);
			count[1]++;
			break;
		case PPP_PROTO_IPV6CP:
			ncp_frame(cf, f.proto, f.payload, f.payload_len);
			count[2]++;
			break;
		case PPP_PROTO_CCP:
			ncp_frame(cf, f.proto, f.payload, f.payload_len);
			count[3]++;
			break;
		case PPP_PROTO_PAP:
			auth_frame(cf, f.proto, f.payload, f.payload_len);
			count[4]++;
			break;
		case PPP_PROTO_CHAP:
			auth_frame(cf, f.proto, f.payload, f.payload_len);
			count[5]++;
			break;
		default:
			fail_msg("%s #%u: protocol %04x", cf->file, cf->frame, f.proto);
		}
	}
	/* every protocol is represented */
	for (unsigned k = 0; k < 6; k++)
		assert_true(count[k] > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_captured_control_packet),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
