package io.github.netvirt.netlink;

import io.github.netvirt.netlink.codec.NlWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A link of a kind netvirt has no dedicated spec for ("ifb", "dummy", "macvtap", ...), with optional
 * raw {@code IFLA_INFO_DATA} attributes.
 */
public final class GenericLinkSpec extends LinkSpec<GenericLinkSpec> {
    private List<Object[]> data = new ArrayList<>();

    @Override
    GenericLinkSpec snapshot() {
        GenericLinkSpec copy = (GenericLinkSpec) super.snapshot();
        copy.data = new ArrayList<>(data); // its entries are not changed once added
        return copy;
    }

    GenericLinkSpec(String name, String kind) {
        super(name, checkKind(kind));
    }

    private static String checkKind(String kind) {
        if (kind == null || kind.isEmpty() || kind.length() > 64) {
            throw new IllegalArgumentException("bad link kind \"" + kind + "\"");
        }
        for (int i = 0; i < kind.length(); i++) {
            char c = kind.charAt(i);
            if (!(c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '_'
                    || c == '.'
                    || c == '-')) {
                throw new IllegalArgumentException("bad link kind \"" + kind + "\"");
            }
        }
        return kind;
    }

    /** Adds a u32 attribute {@code type} to {@code IFLA_INFO_DATA}. */
    public GenericLinkSpec dataU32(int type, int value) {
        data.add(new Object[] {type, value});
        return this;
    }

    /** Adds a u8 attribute {@code type} to {@code IFLA_INFO_DATA}. */
    public GenericLinkSpec dataU8(int type, int value) {
        data.add(new Object[] {type, (byte) value});
        return this;
    }

    /** Adds a raw attribute {@code type} to {@code IFLA_INFO_DATA}. */
    public GenericLinkSpec data(int type, byte[] value) {
        data.add(new Object[] {type, value.clone()});
        return this;
    }

    @Override
    void writeInfoData(NlWriter w, Resolver r) {
        for (Object[] d : data) {
            int type = (Integer) d[0];
            if (d[1] instanceof Integer v) {
                w.u32(type, v);
            } else if (d[1] instanceof Byte v) {
                w.u8(type, v);
            } else {
                w.bytes(type, (byte[]) d[1]);
            }
        }
    }
}
