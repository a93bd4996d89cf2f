package io.github.ecsdeploy.jib;

import com.google.cloud.tools.jib.api.InsecureRegistryException;
import com.google.cloud.tools.jib.api.RegistryUnauthorizedException;
import com.google.cloud.tools.jib.http.ResponseException;
import io.github.ecsdeploy.core.ExternalFailureException;
import io.github.ecsdeploy.core.ImageBuilder;
import io.github.ecsdeploy.core.ImageTarget;
import io.github.ecsdeploy.core.Param;
import io.github.ecsdeploy.core.UserInputException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Jib's exceptions in the core's terms: what the user can fix ({@link UserInputException}, naming the
 * parameter), what the registry refused for the never-overwrite rule ({@link ImageBuilder.Refused}), and what
 * failed in the world ({@link ExternalFailureException}, cause attached).
 */
final class JibFailures {

  private JibFailures() {}

  static RuntimeException translate(ImageTarget target, Exception e) {
    RegistryUnauthorizedException unauthorized = find(e, RegistryUnauthorizedException.class);
    if (unauthorized != null) {
      ResponseException cause = find(unauthorized, ResponseException.class);
      int status = cause == null ? 401 : cause.getStatusCode();
      String image = String.valueOf(unauthorized.getImageReference());
      if (!image.startsWith(target.registry() + "/")) {
        return new UserInputException(null, "The registry of the base image " + image + " refused access (HTTP "
            + status + "). Give credentials as jib-maven-plugin takes them: <from><auth> (or -Djib.from.auth.username"
            + " and -Djib.from.auth.password), a settings.xml <server> whose id is the registry host, "
            + "<from><credHelper>, or docker login; or use a public base image, or one in " + target.registry()
            + " (pulled with the same ECR credentials): <from><image> of jib-maven-plugin.", null);
      }
      if (status == 403) {
        // A missing IAM permission, like AccessDenied on any other AWS call: an error of the world the build runs
        // in (MojoExecutionException), not of the build's input.
        return new ExternalFailureException("The registry " + target.registry() + " denied the push to "
            + target.repository() + " (HTTP 403): the AWS identity lacks ECR push permissions on this repository "
            + "(ecr:BatchCheckLayerAvailability, ecr:InitiateLayerUpload, ecr:UploadLayerPart, "
            + "ecr:CompleteLayerUpload, ecr:PutImage). Grant them, or check " + Param.REPOSITORY.both() + ".",
            unauthorized);
      }
      return new UserInputException(Param.REGISTRY, "The registry " + target.registry()
          + " refused the ECR credentials (HTTP " + status + ") for " + target.repository()
          + ": the token from GetAuthorizationToken is wrong or expired, or belongs to another account or region. "
          + "Check the AWS region and " + Param.REGISTRY.both()
          + " (leave it unset to use the registry the token is for).");
    }
    InsecureRegistryException insecure = find(e, InsecureRegistryException.class);
    if (insecure != null) {
      return new UserInputException(Param.REGISTRY, "The registry " + target.registry()
          + " does not speak HTTPS, and plain HTTP is allowed only for a loopback registry: fix "
          + Param.REGISTRY.both() + ".");
    }
    ResponseException response = find(e, ResponseException.class);
    String content = response == null || response.getContent() == null ? "" : response.getContent();
    if (content.contains("TAG_INVALID") && content.toLowerCase(Locale.ROOT).contains("immutable")) {
      return new ImageBuilder.Refused(ImageBuilder.Refusal.TAG_IMMUTABLE, e);
    }
    if (content.contains("NAME_UNKNOWN")) {
      return new ImageBuilder.Refused(ImageBuilder.Refusal.REPOSITORY_UNKNOWN, e);
    }
    if (find(e, UnknownHostException.class) != null || find(e, ConnectException.class) != null) {
      return new ExternalFailureException("Could not reach the registry " + target.registry() + " ("
          + rootMessage(e) + "); check the network, the region and " + Param.REGISTRY.both() + ".", e);
    }
    return new ExternalFailureException("Jib could not build or push " + target.reference() + ": " + rootMessage(e)
        + (response == null ? "" : " (HTTP " + response.getStatusCode() + ")"), e);
  }

  private static <T extends Throwable> T find(Throwable e, Class<T> type) {
    Set<Throwable> seen = new HashSet<>();
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    List<Throwable> chain = new ArrayList<>();
    Set<Throwable> seen = new HashSet<>();
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain.stream()
        .map(Throwable::getMessage)
        .filter(m -> m != null && !m.isBlank())
        .reduce((first, last) -> last)
        .orElse(e.getClass().getSimpleName());
  }
}
