package dev.winnow.cli;

import dev.winnow.operator.LeaderElection;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How `winnow operator` reads its options (the chart sets the same through environment variables). */
class OperatorCommandTest {
    @Test
    void leaderElectionIsOnByDefaultAndServesMetricsOn8080() {
        OperatorCommand command = parse();
        assertTrue(command.leaderElection);
        assertEquals(LeaderElection.DEFAULT_LEASE_NAME, command.leaseName);
        assertTrue(command.leaseNamespace == null || command.leaseNamespace.isEmpty(), "the client's namespace: " + command.leaseNamespace);
        assertEquals(8080, command.httpPort);
    }

    @Test
    void leaderElectionCanBeTurnedOffAndTheLeaseNamed() {
        OperatorCommand command = parse("--leader-election=false", "--lease-name", "winnow-a", "--lease-namespace", "ops",
                "--http-port", "0");
        assertFalse(command.leaderElection);
        assertEquals("winnow-a", command.leaseName);
        assertEquals("ops", command.leaseNamespace);
        assertEquals(0, command.httpPort);
        assertTrue(parse("--leader-election", "true").leaderElection);
    }

    private static OperatorCommand parse(String... args) {
        OperatorCommand command = new OperatorCommand();
        new CommandLine(command).parseArgs(args);
        return command;
    }
}
