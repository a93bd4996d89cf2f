package io.github.ecsdeploy.standin;

import org.junit.jupiter.api.extension.AfterAllCallback;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecs.EcsClient;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs one {@link AwsStandIn} per test class, in-process, on a free loopback port:
 *
 * <pre>{@code
 * @RegisterExtension static final StandInExtension STAND_IN = new StandInExtension();
 * ... EcsClient.builder().endpointOverride(STAND_IN.get().endpoint()) ...
 * }</pre>
 *
 * or {@code @ExtendWith(StandInExtension.class)} with an {@link AwsStandIn} test-method parameter. Fault
 * injection and the STS test controls are reset after each test; state (clusters, repositories) lives for
 * the class, so tests use names of their own. {@link #ecs()} and {@link #ecr()} give real SDK clients on the
 * stand-in for the class, closed with it.
 */
public final class StandInExtension
    implements BeforeAllCallback, AfterAllCallback, AfterEachCallback, ParameterResolver {

  private final AwsStandIn.Options options;
  private AwsStandIn standIn;
  private EcsClient ecs;
  private EcrClient ecr;

  public StandInExtension() {
    this(AwsStandIn.Options.defaults());
  }

  public StandInExtension(AwsStandIn.Options options) {
    this.options = options;
  }

  /** The running stand-in. */
  public AwsStandIn get() {
    if (standIn == null) {
      throw new IllegalStateException("The stand-in runs only between beforeAll and afterAll");
    }
    return standIn;
  }

  /** An ECS client on the stand-in, for the test class; closed after the class. */
  public EcsClient ecs() {
    if (ecs == null) {
      ecs = StandInClients.ecs(get());
    }
    return ecs;
  }

  /** An ECR client on the stand-in, for the test class; closed after the class. */
  public EcrClient ecr() {
    if (ecr == null) {
      ecr = StandInClients.ecr(get());
    }
    return ecr;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    standIn = AwsStandIn.start(options);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (standIn != null) {
      standIn.faults().reset();
      standIn.sts().reset();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (ecs != null) {
      ecs.close();
      ecs = null;
    }
    if (ecr != null) {
      ecr.close();
      ecr = null;
    }
    if (standIn != null) {
      standIn.close();
      standIn = null;
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == AwsStandIn.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return get();
  }
}
