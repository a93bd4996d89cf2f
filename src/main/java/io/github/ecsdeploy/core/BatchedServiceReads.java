package io.github.ecsdeploy.core;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeServicesResponse;
import software.amazon.awssdk.services.ecs.model.Failure;
import software.amazon.awssdk.services.ecs.model.Service;

/**
 * One DescribeServices for up to ten services of one cluster (DescribeServices in the ECS API reference: "You may
 * specify up to 10 services to describe in a single operation"), shared by the watchers of
 * {@link MultiServiceDeployer}. Each {@link ServiceDeployer} still asks for its own service; this {@link EcsClient}
 * answers from a read of the service's group of ten that started at most {@code maxAge} ago, else reads the whole
 * group once for everyone. Ten services polled every 5 s cost one DescribeServices per round instead of ten.
 *
 * <p>A shared read is never older than {@code maxAge} (1 s: shorter than the shortest poll interval near the
 * decision), and an UpdateService through this client makes the next read of that service a new one, so a watcher
 * never gets, from this cache, a read from before its own UpdateService (ECS's own eventual consistency remains:
 * {@link DeploymentVerdict#stale} handles that). Every other call goes straight to the real client.
 */
final class BatchedServiceReads {

  /** DescribeServices describes at most this many services per call (API reference). */
  static final int MAX_SERVICES_PER_CALL = 10;

  /** How old a shared read may be when a watcher asks. */
  static final Duration MAX_AGE = Duration.ofSeconds(1);

  private final EcsClient ecs;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  private final Map<String, Group> groups = new HashMap<>();
  private final AtomicInteger calls = new AtomicInteger();
  private final EcsClient client;

  private BatchedServiceReads(EcsClient ecs, Duration maxAge, LongSupplier nanoTime) {
    this.ecs = ecs;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoTime = nanoTime;
    this.client = (EcsClient) Proxy.newProxyInstance(EcsClient.class.getClassLoader(),
        new Class<?>[] {EcsClient.class}, (proxy, method, args) -> invoke(proxy, method, args));
  }

  /**
   * An ECS client that batches the one-service DescribeServices of these requests' services.
   *
   * @param ecs the real client; every other call goes to it unchanged
   * @param requests the services, grouped by ten per cluster in this order
   */
  static EcsClient wrap(EcsClient ecs, List<UpdateServiceRequest> requests) {
    return of(ecs, requests, MAX_AGE, System::nanoTime).client();
  }

  /** The batching client with its bookkeeping; tests set the age and the time. */
  static BatchedServiceReads of(EcsClient ecs, List<UpdateServiceRequest> requests, Duration maxAge,
      LongSupplier nanoTime) {
    BatchedServiceReads reads = new BatchedServiceReads(ecs, maxAge, nanoTime);
    Map<String, List<String>> byCluster = new LinkedHashMap<>();
    for (UpdateServiceRequest r : requests) {
      List<String> services = byCluster.computeIfAbsent(r.cluster(), c -> new ArrayList<>());
      if (!services.contains(r.service())) {
        services.add(r.service());
      }
    }
    byCluster.forEach((cluster, services) -> {
      for (int i = 0; i < services.size(); i += MAX_SERVICES_PER_CALL) {
        Group group = reads.new Group(cluster,
            services.subList(i, Math.min(services.size(), i + MAX_SERVICES_PER_CALL)));
        group.services.forEach(s -> reads.groups.put(key(cluster, s), group));
      }
    });
    return reads;
  }

  /** The batching client. */
  EcsClient client() {
    return client;
  }

  /** How many DescribeServices the groups made. */
  int groupReads() {
    return calls.get();
  }

  private static String key(String cluster, String service) {
    return cluster + "\u0000" + service;
  }

  private Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    if (method.getDeclaringClass() == Object.class) {
      return switch (method.getName()) {
        case "equals" -> proxy == args[0];
        case "hashCode" -> System.identityHashCode(proxy);
        default -> "DescribeServices batched by ten over " + ecs;
      };
    }
    String name = method.getName();
    if (args != null && args.length == 1 && name.equals("describeServices")) {
      DescribeServicesRequest request = args[0] instanceof Consumer<?> c ? describeRequest(c)
          : (DescribeServicesRequest) args[0];
      Group group = request.services().size() == 1 && request.include().isEmpty()
          ? groups.get(key(request.cluster(), request.services().get(0))) : null;
      return group != null ? group.read(request.services().get(0)) : ecs.describeServices(request);
    }
    try {
      return method.invoke(ecs, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    } finally {
      if (args != null && args.length == 1 && name.equals("updateService")) {
        software.amazon.awssdk.services.ecs.model.UpdateServiceRequest update = args[0] instanceof Consumer<?> c
            ? updateRequest(c) : (software.amazon.awssdk.services.ecs.model.UpdateServiceRequest) args[0];
        Group group = groups.get(key(update.cluster(), update.service()));
        if (group != null) {
          group.updated(update.service());
        }
      }
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static DescribeServicesRequest describeRequest(Consumer consumer) {
    DescribeServicesRequest.Builder b = DescribeServicesRequest.builder();
    consumer.accept(b);
    return b.build();
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static software.amazon.awssdk.services.ecs.model.UpdateServiceRequest updateRequest(Consumer consumer) {
    software.amazon.awssdk.services.ecs.model.UpdateServiceRequest.Builder b =
        software.amazon.awssdk.services.ecs.model.UpdateServiceRequest.builder();
    consumer.accept(b);
    return b.build();
  }

  /** Up to ten services of one cluster, read together; one read at a time, the others wait for it. */
  private final class Group {
    final String cluster;
    final List<String> services;
    private DescribeServicesResponse last;
    private long lastStartedAt;
    private final Set<String> updatedSince = new HashSet<>();

    Group(String cluster, List<String> services) {
      this.cluster = cluster;
      this.services = List.copyOf(services);
    }

    synchronized void updated(String service) {
      updatedSince.add(service);
    }

    /** The service's part of a fresh group read; a failed group read fails every caller that asked for it. */
    synchronized DescribeServicesResponse read(String service) {
      long now = nanoTime.getAsLong();
      if (last == null || now - lastStartedAt > maxAgeNanos || updatedSince.contains(service)) {
        lastStartedAt = now;
        last = null;
        calls.incrementAndGet();
        last = ecs.describeServices(b -> b.cluster(cluster).services(services));
        updatedSince.clear();
      }
      List<Service> found = last.services().stream().filter(s -> names(service, s.serviceName(), s.serviceArn()))
          .toList();
      List<Failure> failures = last.failures().stream().filter(f -> names(service, null, f.arn())).toList();
      return DescribeServicesResponse.builder().services(found).failures(failures).build();
    }
  }

  /** Whether a service named by the caller (a name or an ARN) is this one. */
  private static boolean names(String asked, String name, String arn) {
    return asked.equals(name) || asked.equals(arn) || arn != null && arn.endsWith("/" + asked);
  }
}
