package io.github.netvirt.netlink.nftables;

/** Numbers of the nf_tables uapi ({@code linux/netfilter/nf_tables.h}, {@code nfnetlink.h}). */
final class Nft {
    private Nft() {}

    static final int NFNL_SUBSYS_NFTABLES = 10;
    static final int NFNL_MSG_BATCH_BEGIN = 0x10;
    static final int NFNL_MSG_BATCH_END = 0x11;
    /** The ruleset generation a batch is for ({@code NFNL_BATCH_GENID}, an attribute of its begin). */
    static final int NFNL_BATCH_GENID = 1;

    static final int MSG_NEWGEN = 15;
    static final int MSG_GETGEN = 16;
    static final int GEN_ID = 1;
    static final int NFGENMSG_LEN = 4;

    static final int MSG_NEWTABLE = 0;
    static final int MSG_GETTABLE = 1;
    static final int MSG_DELTABLE = 2;
    static final int MSG_NEWCHAIN = 3;
    static final int MSG_GETCHAIN = 4;
    static final int MSG_DELCHAIN = 5;
    static final int MSG_NEWRULE = 6;
    static final int MSG_GETRULE = 7;
    static final int MSG_DELRULE = 8;

    static int type(int msg) {
        return NFNL_SUBSYS_NFTABLES << 8 | msg;
    }

    // NFTA_TABLE_*
    static final int TABLE_NAME = 1;
    static final int TABLE_FLAGS = 2;
    static final int TABLE_USE = 3;
    static final int TABLE_HANDLE = 4;
    /** NFT_TABLE_F_OWNER (5.12): the table belongs to the socket that made it. */
    static final int TABLE_F_OWNER = 0x2;

    // NFTA_CHAIN_*
    static final int CHAIN_TABLE = 1;
    static final int CHAIN_HANDLE = 2;
    static final int CHAIN_NAME = 3;
    static final int CHAIN_HOOK = 4;
    static final int CHAIN_POLICY = 5;
    static final int CHAIN_TYPE = 7;
    static final int HOOK_HOOKNUM = 1;
    static final int HOOK_PRIORITY = 2;

    // NFTA_RULE_*
    static final int RULE_TABLE = 1;
    static final int RULE_CHAIN = 2;
    static final int RULE_HANDLE = 3;
    static final int RULE_EXPRESSIONS = 4;
    static final int LIST_ELEM = 1;
    static final int EXPR_NAME = 1;
    static final int EXPR_DATA = 2;

    // NFTA_DATA_*, NFTA_VERDICT_*
    static final int DATA_VALUE = 1;
    static final int DATA_VERDICT = 2;
    static final int VERDICT_CODE = 1;
    static final int VERDICT_CHAIN = 2;

    // expressions' attributes
    static final int META_DREG = 1;
    static final int META_KEY = 2;
    static final int CT_DREG = 1;
    static final int CT_KEY = 2;
    static final int PAYLOAD_DREG = 1;
    static final int PAYLOAD_BASE = 2;
    static final int PAYLOAD_OFFSET = 3;
    static final int PAYLOAD_LEN = 4;
    static final int CMP_SREG = 1;
    static final int CMP_OP = 2;
    static final int CMP_DATA = 3;
    static final int BITWISE_SREG = 1;
    static final int BITWISE_DREG = 2;
    static final int BITWISE_LEN = 3;
    static final int BITWISE_MASK = 4;
    static final int BITWISE_XOR = 5;
    static final int BITWISE_OP = 6;
    static final int IMMEDIATE_DREG = 1;
    static final int IMMEDIATE_DATA = 2;
    static final int REJECT_TYPE = 1;
    static final int REJECT_ICMP_CODE = 2;
    static final int COUNTER_BYTES = 1;
    static final int COUNTER_PACKETS = 2;
    static final int NG_DREG = 1;
    static final int NG_MODULUS = 2;
    static final int NG_TYPE = 3;
    static final int NG_OFFSET = 4;
    static final int BYTEORDER_SREG = 1;
    static final int BYTEORDER_DREG = 2;
    static final int BYTEORDER_OP = 3;
    static final int BYTEORDER_LEN = 4;
    static final int BYTEORDER_SIZE = 5;

    /** NFT_REG_VERDICT and NFT_REG_1, the registers nft itself uses. */
    static final int REG_VERDICT = 0;

    static final int REG_1 = 1;
}
