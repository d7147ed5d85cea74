package io.github.netvirt.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.netvirt.netns.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An example stopped by SIGTERM or Ctrl-C leaves nothing in the temporary directory: not tls-hostname's
 * key store (a private key), not the pcap the sniffer names only at its end.
 */
@RequiresRoot
class StoppedExampleLeavesNoTemporaryFileTest {
    @ParameterizedTest(name = "{0} stopped at \"{1}\"")
    @CsvSource({"tls-hostname,getent ahostsv4", "sniffer,udp a -> b", "sniffer --mirror,udp a -> b"})
    void stoppedLeavesNoTemporaryFile(String args, String line, @TempDir Path tmp) throws Exception {
        StoppedExample.Stopped s = StoppedExample.at(line, tmp, args.split(" "));
        try (Stream<Path> left = Files.list(tmp)) {
            List<String> names = left.map(f -> f.getFileName().toString()).toList();
            assertThat(names).as(s.output()).isEmpty();
        }
    }
}
