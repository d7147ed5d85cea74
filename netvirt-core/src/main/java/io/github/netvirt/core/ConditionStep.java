package io.github.netvirt.core;

import io.github.netvirt.core.spec.DeviceSpec;
import io.github.netvirt.core.spec.LinkCondition;
import io.github.netvirt.core.spec.TopologySpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts the link condition declared with veth end {@code device} on its pair, after every other step of
 * an apply ({@link LinkConditions#applyDeclared}): not a step of the plan, but the step an
 * {@link ApplyException} names when the kernel refuses it.
 */
record ConditionStep(TopologySpec spec, DeviceSpec device) implements Op {

    @Override
    public String ns() {
        return device.ns();
    }

    /**
     * A rate alone as the tc commands that make its tbf; delay and loss as comments, the netem form
     * being what a kernel with netem gets; without netem netvirt relays the pair's frames in the JVM,
     * which no shell command can reproduce (the live {@code ConditionedLink.toScript()} shows the tc
     * commands it then used). Once a condition has found this kernel without netem, only the relay is
     * mentioned.
     */
    @Override
    public List<String> commands() {
        LinkCondition c = device.condition();
        List<String> out = new ArrayList<>();
        out.add("# link condition " + device.qualifiedName() + " <-> " + device.qualifiedPeerName()
                + ", each direction: " + c + " (seed " + c.seed() + ")");
        String netem = (c.impairs()
                        ? " root netem " + c.toString().replaceFirst("^rate \\S+ ?", "")
                        : " root " + ConditionedLink.tbfText(c))
                .replaceAll("  +", " ");
        if (c.impairs() && Boolean.FALSE.equals(ConditionedLink.netem())) {
            out.add("#   this kernel has no netem: apply() relays the pair's frames in the JVM through a TAP"
                    + " next to each end (ConditionedLink.toScript() shows its tc commands)");
            return out;
        }
        // a rate alone is a tbf, made the same by tc; delay and loss depend on the kernel (netem or the relay)
        for (String[] end : new String[][] {{device.ns(), device.name()}, {device.peerNs(), device.peerName()}}) {
            out.add((c.impairs() ? "#   " : "") + Iproute2.in(spec, end[0], "tc") + "qdisc add dev "
                    + TopologySpec.shellWord(end[1]) + netem);
        }
        if (c.impairs()) {
            out.add("#   (" + (c.bitsPerSecond() > 0 ? "rate: a tbf above the netem; " : "")
                    + "without netem: a seeded relay in the JVM through a TAP next to each end)");
        }
        return out;
    }

    @Override
    public boolean batched() {
        return false;
    }

    @Override
    public void carryOut(Kernel k) {
        LinkConditions.apply(spec, device, device.condition(), k.res());
    }

    /** {@code a/e0 <-> b/e0: delay 1ms}, as {@link ConditionedLink#toString()} names the condition. */
    @Override
    public String subject() {
        return LinkConditions.describe(device, LinkConditions.seeded(device, device.condition()));
    }
}
