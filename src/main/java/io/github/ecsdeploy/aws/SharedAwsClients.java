package io.github.ecsdeploy.aws;

import io.github.ecsdeploy.core.DeployLog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The AWS clients of one build, shared by every goal execution of every module (issue 18, "many services, many
 * builds"): a reactor of 20 services builds one set of clients per region, endpoint, retry settings and
 * credentials, not one per execution, so the HTTP connections are reused and credentials are resolved once (one
 * STS {@code AssumeRoleWithWebIdentity} per build, not one per goal and module). The build's end calls
 * {@link #close()}; a {@link Lease} never closes the shared clients.
 *
 * <p>The clients log through the execution that leased them last (the line that names the credentials, the
 * debug lines of client construction), so those lines appear in the section of the goal that caused them.
 */
public final class SharedAwsClients implements AutoCloseable {

  /** Builds the clients of one settings and credentials pair; {@code AwsClients::new} in production. */
  @FunctionalInterface
  public interface Factory {
    /** New clients; built lazily, closed by their owner. */
    AwsClients create(AwsSettings settings, CredentialsSource credentials, DeployLog log);
  }

  /** What makes two executions' clients interchangeable. */
  private record Key(AwsSettings settings, Class<?> source, Object sourceKey) {}

  private record Entry(AwsClients clients, CurrentLog log) {}

  private final Map<Key, Entry> clients = new LinkedHashMap<>();
  private boolean closed;

  /**
   * The clients of one execution: the shared ones for these settings and credentials (built on first lease).
   * Closing the lease leaves them open.
   */
  public final class Lease implements AutoCloseable {
    private final AwsClients clients;
    private final boolean reused;

    private Lease(AwsClients clients, boolean reused) {
      this.clients = clients;
      this.reused = reused;
    }

    /** The clients. */
    public AwsClients clients() {
      return clients;
    }

    /** Whether an earlier execution of this build built them. */
    public boolean reused() {
      return reused;
    }

    /** Nothing to do: the clients stay open until the build ends ({@link SharedAwsClients#close()}). */
    @Override
    public void close() {}
  }

  /**
   * The shared clients for these settings and credentials; built through {@code factory} on the first lease.
   *
   * @param log where the clients log from now on (the leasing execution's log)
   * @throws IllegalStateException after {@link #close()}
   */
  public synchronized Lease lease(
      AwsSettings settings, CredentialsSource credentials, DeployLog log, Factory factory) {
    if (closed) {
      throw new IllegalStateException("The AWS clients of this build were already closed");
    }
    Key key = new Key(settings, credentials.getClass(), credentials.sharingKey());
    Entry entry = clients.get(key);
    if (entry != null) {
      entry.log().target = log;
      log.debug("Reusing the AWS clients of this build (region " + settings.region() + ", credentials from "
          + credentials.describe() + ")");
      return new Lease(entry.clients(), true);
    }
    CurrentLog current = new CurrentLog(log);
    AwsClients built = Objects.requireNonNull(factory.create(settings, credentials, current.log), "AWS clients");
    clients.put(key, new Entry(built, current));
    return new Lease(built, false);
  }

  /** How many sets of clients this build built (one per settings and credentials). */
  public synchronized int size() {
    return clients.size();
  }

  /** Closes every set of clients; the first failure is thrown after all were tried. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<AwsClients> all = new ArrayList<>();
    clients.values().forEach(e -> all.add(e.clients()));
    clients.clear();
    RuntimeException failure = null;
    for (AwsClients c : all) {
      try {
        c.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  /** Where the shared clients log: the execution that leased them last. */
  private static final class CurrentLog {
    volatile DeployLog target;
    final DeployLog log = DeployLog.forwarding(() -> target, line -> line);

    CurrentLog(DeployLog target) {
      this.target = target;
    }
  }
}
