package io.github.netvirt.netns;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a process started inside a namespace sees of the file system, as {@code ip netns exec} sets
 * it up: its own mount namespace (propagation slave: later mounts of the machine still show, its own
 * never leak out), {@code /sys} mounted afresh so {@code /sys/class/net} lists the namespace's
 * interfaces, {@code /etc/netns/NAME/FILE} bind-mounted over {@code /etc/FILE} for a named
 * namespace, and then the handle's own {@code /etc} files ({@link NetNamespace#etcFile}) over those.
 *
 * <p>Done by a wrapper of util-linux tools and {@code sh}, run after {@code nsenter} has entered the
 * network namespace (a sysfs mount describes the network namespace of the process that mounts it):
 * {@code unshare --mount --propagation slave -- sh -c SCRIPT}, which execs the command once the
 * mounts are in place. The handle's files travel as arguments and are written to a small tmpfs
 * mounted over {@code /sys}, bind-mounted from there over {@code /etc}, and the new sysfs is mounted
 * over the tmpfs (one {@code mount -a} for the binds and the sysfs: each {@code mount} exec costs
 * about 2.5 ms): nothing is written to the machine's disk, and the mount namespace, with the files,
 * goes with the process. The machine's {@code /sys} is hidden under the new one rather than detached
 * as {@code ip netns exec} does (detached only in the namespace it describes, where the kernel
 * refuses the same sysfs over it); the process sees the same. A file of {@code /etc/netns/NAME}
 * that cannot be bound (one {@code /etc} lacks) is named on stderr and passed over, as {@code ip
 * netns exec} does; if any other mount fails the command is not run: the process exits with {@link
 * #FAILED} and the reason on stderr, prefixed {@code netvirt:}.
 */
final class ProcessMounts {
    /** The exit code of a started process whose mounts could not be set up (the command never ran). */
    static final int FAILED = 125;

    /**
     * Whether arguments reach a started process in UTF-8: the JDK encodes them in its default
     * charset (sun.jnu.encoding on newer JDKs), which follows the locale, and a C locale turns every
     * character beyond ASCII into '?'. Otherwise the /etc files' content travels escaped.
     */
    private static final boolean UTF8_ARGUMENTS = Charset.defaultCharset().equals(StandardCharsets.UTF_8)
            && StandardCharsets.UTF_8.name().equals(jnuCharset());

    /**
     * The UTF-8 bytes of escaped content per argument: escaped, a byte takes up to 5 characters, and
     * the kernel refuses an argument over 128 KiB (MAX_ARG_STRLEN: E2BIG at exec), which 64 KiB of
     * content beyond ASCII would be five times over. The arguments together may be far longer.
     */
    private static final int ESCAPED_CHUNK = 16 * 1024;

    private static final String MOUNT = quoted(Programs.MOUNT);
    private static final String UMOUNT = quoted(Programs.UMOUNT);

    // $1 the number of arguments before the command ($1 included), $2 namespace name ("" for none), $3
    // number of files, then name/content pairs (or %name, a count and that many escaped parts of the
    // content), then the command. The mounts are made in a subshell: the shell runs with the command's
    // environment, and a variable it sets that the environment has (n, ns, f) would reach the command
    // changed; a subshell's variables, umask included, die with it, its mounts are the process's
    private static final String SCRIPT = String.join(
            "\n",
            "(",
            "fail() { echo \"netvirt: $*\" >&2; exit " + FAILED + "; }",
            "ns=$2; n=$3; shift 3",
            // as ip netns exec: every entry, dot files too; one that cannot be bound (/etc lacks it) is
            // named on stderr and passed over
            "if [ -n \"$ns\" ] && [ -d \"/etc/netns/$ns\" ]; then",
            "  for f in \"/etc/netns/$ns\"/* \"/etc/netns/$ns\"/.[!.]* \"/etc/netns/$ns\"/..?*; do",
            "    [ -e \"$f\" ] || [ -L \"$f\" ] || continue",
            "    " + MOUNT + " --bind \"$f\" \"/etc/${f##*/}\""
                    + " || echo \"netvirt: cannot bind $f over /etc/${f##*/}: passed over\" >&2",
            "  done",
            "fi",
            "if [ \"$n\" -eq 0 ]; then",
            // sysfs describes the network namespace of the process that mounts it; mounted over the
            // machine's /sys it hides it, and its submounts, as ip netns exec's detach-and-mount does.
            // In the namespace the machine's /sys describes, the kernel refuses that sysfs over itself
            // (EBUSY): the machine's is detached first then, as ip netns exec always does
            "  " + MOUNT + " -t sysfs netvirt-sysfs /sys 2>/dev/null"
                    + " || { " + UMOUNT + " -l /sys && " + MOUNT + " -t sysfs netvirt-sysfs /sys; }"
                    + " || fail 'cannot mount /sys for the network namespace'",
            "  exit 0",
            "fi",
            // one mount(8) for every bind and the sysfs: each exec costs about a millisecond
            // the files must be readable by every user (the command keeps the JVM's umask: the subshell's goes with it)
            "umask 022",
            MOUNT + " -t tmpfs -o size=1m,mode=755 netvirt-etc /sys || fail 'cannot mount a tmpfs for the /etc files'",
            "while [ \"$n\" -gt 0 ]; do",
            "  f=${1#%}",
            "  [ -e \"/etc/$f\" ] || fail \"/etc/$f does not exist: a file can only be mounted over an existing one\"",
            // %NAME: the content comes as a count of arguments of printf %b escapes (see wrap)
            "  if [ \"$f\" = \"$1\" ]; then printf '%s' \"$2\"; shift 2; else",
            "    k=$2; shift 2; while [ \"$k\" -gt 0 ]; do printf '%b' \"$1\"; shift; k=$((k - 1)); done",
            "  fi > \"/sys/$f\" || fail \"cannot write /etc/$f\"",
            "  echo \"/sys/$f /etc/$f none bind 0 0\" >> /sys/.fstab",
            "  n=$((n - 1))",
            "done",
            "echo 'netvirt-sysfs /sys sysfs defaults 0 0' >> /sys/.fstab",
            MOUNT + " -a -T /sys/.fstab || fail 'cannot mount the /etc files and /sys for the network namespace'",
            ") || exit " + FAILED,
            "shift \"$1\"",
            "exec \"$@\"");

    /**
     * The names under /etc found to exist, so that a topology's {@code hosts} costs one stat per
     * JVM. One removed afterwards still stops the command (the script checks each file again).
     */
    private static final Set<String> EXISTING = ConcurrentHashMap.newKeySet();

    private ProcessMounts() {}

    /** The wrapper that runs before {@code command}, after the network namespace is entered. */
    static List<String> wrap(String nsName, Map<String, String> etcFiles, List<String> command) {
        List<String> wrapped = new ArrayList<>(command.size() + 10 + 2 * etcFiles.size());
        wrapped.addAll(List.of(
                Programs.UNSHARE, "--mount", "--propagation", "slave", "--", Programs.SH, "-c", SCRIPT, "netvirt"));
        int count = wrapped.size();
        wrapped.add(null); // the number of the script's own arguments, known once they are added
        wrapped.add(nsName == null ? "" : nsName);
        wrapped.add(Integer.toString(etcFiles.size()));
        etcFiles.forEach((name, content) -> {
            if (UTF8_ARGUMENTS || ascii(content)) {
                wrapped.add(name);
                wrapped.add(content);
            } else {
                wrapped.add("%" + name);
                byte[] utf8 = content.getBytes(StandardCharsets.UTF_8);
                int chunks = (utf8.length + ESCAPED_CHUNK - 1) / ESCAPED_CHUNK;
                wrapped.add(Integer.toString(chunks));
                for (int from = 0; from < utf8.length; from += ESCAPED_CHUNK) {
                    wrapped.add(escaped(utf8, from, Math.min(utf8.length, from + ESCAPED_CHUNK)));
                }
            }
        });
        wrapped.set(count, Integer.toString(wrapped.size() - count));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Whether {@code s} is all ASCII, which every locale's charset passes unchanged. */
    private static boolean ascii(String s) {
        for (char c : s.toCharArray()) {
            if (c >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /**
     * Bytes {@code from} to {@code to} of UTF-8 content as ASCII for {@code printf %b}: each byte beyond
     * ASCII, and {@code \\}, as {@code \\0ooo}.
     */
    private static String escaped(byte[] utf8, int from, int to) {
        StringBuilder b = new StringBuilder((to - from) * 2);
        for (int i = from; i < to; i++) {
            int u = utf8[i] & 0xff;
            if (u >= 0x80 || u == '\\') {
                b.append("\\0").append(u >> 6).append(u >> 3 & 7).append(u & 7);
            } else {
                b.append((char) u);
            }
        }
        return b.toString();
    }

    /** {@code s} as one word of {@code sh}. */
    private static String quoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String jnuCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"))
                    .name();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    /**
     * Checks a file name for {@link NetNamespace#etcFile}: a plain name directly under {@code /etc}
     * ({@code hosts}, {@code resolv.conf}), and content a process argument can carry.
     */
    static void check(String name, String content) {
        if (!isFileName(name)) {
            throw new IllegalArgumentException("not a file name directly under /etc: " + name);
        }
        if (content != null && content.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("the content of /etc/" + name + " contains a NUL character");
        }
        // a UTF-16 char is at most 3 UTF-8 bytes: most contents need no encoding to be measured
        if (content != null
                && content.length() > 64 * 1024 / 3
                && content.getBytes(StandardCharsets.UTF_8).length > 64 * 1024) {
            throw new IllegalArgumentException("the content of /etc/" + name + " is longer than 64 KiB");
        }
    }

    /** Checks that {@code /etc/NAME}, for a file {@link #check} passed, exists on the machine. */
    static void checkOnMachine(String name) {
        if (!EXISTING.contains(name)) {
            if (!Files.exists(Path.of("/etc", name))) {
                throw new IllegalArgumentException("/etc/" + name
                        + " does not exist: a file can only be mounted over an existing one (its own mount"
                        + " namespace gives a started process the file, not /etc a new name)");
            }
            EXISTING.add(name);
        }
    }

    /**
     * {@code [A-Za-z0-9_][A-Za-z0-9_.+-]*}, at most NAME_MAX (255) bytes, without a regex (it runs
     * interpreted for each namespace of a topology).
     */
    private static boolean isFileName(String name) {
        if (name == null || name.isEmpty() || name.length() > 255) {
            return false;
        }
        char[] chars = name.toCharArray(); // one call, where charAt is several a char
        for (int i = 0; i < chars.length; i++) {
            char c = chars[i];
            boolean ok = c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '_'
                    || i > 0 && (c == '.' || c == '+' || c == '-');
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
