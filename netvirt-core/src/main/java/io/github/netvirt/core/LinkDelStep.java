package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.Kind;
import io.github.netvirt.core.spec.TopologySpec;
import io.github.netvirt.netlink.NetlinkException;
import io.github.netvirt.netlink.NetlinkHandle;
import io.github.netvirt.netns.NetNamespace;
import io.github.netvirt.netns.internal.EachOf;
import java.util.List;
import java.util.OptionalInt;

/** Deletes a device (a veth: both ends; a tap: closes it), only in a change of a live topology. */
record LinkDelStep(TopologySpec spec, DeviceSpec device) implements DeviceStep {

    @Override
    public List<String> commands() {
        return List.of(Iproute2.ip(spec, device.ns()) + "link del dev " + TopologySpec.shellWord(device.name()));
    }

    @Override
    public boolean batched() {
        return false;
    }

    @Override
    public void carryOut(Kernel k) {
        if (device.kind() == Kind.TAP) {
            List<RuntimeException> errors = k.res().closeTaps(DeviceKey.of(device)::equals);
            if (!errors.isEmpty()) {
                throw errors.get(0);
            }
            return;
        }
        NetNamespace ns = k.res().hosts.get(device.ns());
        NetlinkHandle h = k.res().handle(device.ns());
        OptionalInt index = k.res().ownIndex(spec, device.ns(), device.name());
        // a condition on the veth goes with it: its relay's TAPs stay next to the ends otherwise
        List<ConditionedLink> on = index.isPresent()
                ? k.res().conditions.stream()
                        .filter(c -> c.isOn(ns, index.getAsInt()))
                        .toList()
                : List.of();
        List<RuntimeException> healErrors = EachOf.releaseAll(on, ConditionedLink::heal);
        try {
            if (index.isPresent()) {
                h.linkDel(index.getAsInt());
            }
        } catch (NetlinkException ex) {
            if (!ex.isNoDevice()) {
                healErrors.forEach(ex::addSuppressed);
                throw ex;
            }
        }
        // the veth took what a condition whose heal threw (or one whose device was deleted by someone
        // else) still had on it: only its relay is left
        List<RuntimeException> errors = k.res().dropConditionsOfGoneDevices(ns, h);
        if (on.stream().anyMatch(ConditionedLink::isActive)) {
            errors.addAll(healErrors);
        }
        EachOf.throwFirst(errors);
    }

    @Override
    public String subject() {
        return device.qualifiedName();
    }
}
