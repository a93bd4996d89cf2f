package io.github.ecsdeploy.maven;

import io.github.ecsdeploy.aws.SharedAwsClients;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.Map;
import java.util.WeakHashMap;
import org.apache.maven.execution.ExecutionEvent;
import org.apache.maven.execution.ExecutionListener;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.logging.Log;

/**
 * Keeps the {@link SharedAwsClients} of one Maven build and closes them when the build ends. The end is Maven's
 * {@code SessionEnded} event, which Maven fires in a {@code finally} after the last module, also when a module
 * failed ({@code LifecycleStarter}); the event goes to the request's execution listener, read by Maven when the
 * event fires, so this class chains its own listener in front of Maven's. Nothing here needs the plugin to be
 * declared as a build extension (a lifecycle participant's {@code afterSessionEnd} would).
 *
 * <p>Without a session (a goal run by a test with {@code new}) there is no build to share with: {@link #of} is
 * empty and the goal builds and closes its own clients, as before.
 */
final class BuildAwsClients {

  /** The shared clients of each running build, by its request (weakly: a build that ended unseen is collected). */
  private static final Map<MavenExecutionRequest, SharedAwsClients> BUILDS = new WeakHashMap<>();

  private BuildAwsClients() {}

  /**
   * The shared clients of the session's build, created with the first execution; null without a session.
   *
   * @param log where the end of the build reports closing them (the first execution's Maven log)
   */
  static SharedAwsClients of(MavenSession session, Log log) {
    MavenExecutionRequest request = session == null ? null : session.getRequest();
    if (request == null) {
      return null;
    }
    synchronized (BUILDS) {
      SharedAwsClients shared = BUILDS.get(request);
      if (shared == null) {
        shared = new SharedAwsClients();
        BUILDS.put(request, shared);
        request.setExecutionListener(closingAtEnd(request.getExecutionListener(), request, shared, log));
      }
      return shared;
    }
  }

  /** Maven's listener, with the shared clients closed after it has seen the end of the session. */
  private static ExecutionListener closingAtEnd(
      ExecutionListener maven, MavenExecutionRequest request, SharedAwsClients shared, Log log) {
    return (ExecutionListener) Proxy.newProxyInstance(
        BuildAwsClients.class.getClassLoader(), new Class<?>[] {ExecutionListener.class}, (proxy, method, args) -> {
          Object result = null;
          try {
            if (maven != null && method.getDeclaringClass() == ExecutionListener.class) {
              result = method.invoke(maven, args);
            } else if (method.getDeclaringClass() == Object.class) {
              return switch (method.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> "ecs-deploy's end-of-build listener before " + maven;
              };
            }
          } catch (InvocationTargetException e) {
            throw e.getCause();
          } finally {
            if (method.getName().equals("sessionEnded") && args != null && args.length == 1
                && args[0] instanceof ExecutionEvent event && event.getSession() != null
                && event.getSession().getRequest() == request) {
              end(request, shared, log);
            }
          }
          return result;
        });
  }

  private static void end(MavenExecutionRequest request, SharedAwsClients shared, Log log) {
    synchronized (BUILDS) {
      BUILDS.remove(request);
    }
    int sets = shared.size();
    try {
      shared.close();
      log.debug("Closed the AWS clients of this build (" + sets + " set" + (sets == 1 ? "" : "s") + ")");
    } catch (RuntimeException e) {
      log.warn("Could not close the AWS clients of this build cleanly: " + e.getMessage());
    }
  }
}
