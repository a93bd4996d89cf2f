package io.github.ecsdeploy.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.model.AccessDeniedException;
import software.amazon.awssdk.services.ecs.model.EcsException;
import software.amazon.awssdk.services.ecs.model.UnsupportedFeatureException;

/**
 * The pure rules of the SDK view: which answers mean the Service Deployments history may not or cannot be read
 * here (a fallback, not a failure), and how a revision number is read from a task definition name or ARN.
 * {@code RollbackMojoStandInTest} runs the view against the stand-in.
 */
class EcsServiceViewTest {

  private static AwsServiceException answer(String code, int status) {
    return EcsException.builder().statusCode(status).message("no")
        .awsErrorDetails(code == null ? null : AwsErrorDetails.builder().errorCode(code).errorMessage("no").build())
        .build();
  }

  @Test
  void aRoleWithoutTheHistoryActionsOrAnEndpointWithoutTheApiIsAFallback() {
    assertTrue(EcsServiceView.unavailable(AccessDeniedException.builder().statusCode(400).message("no").build()));
    assertTrue(EcsServiceView.unavailable(UnsupportedFeatureException.builder().statusCode(400).message("no").build()));
    assertTrue(EcsServiceView.unavailable(answer("AccessDeniedException", 400)));
    assertTrue(EcsServiceView.unavailable(answer("AccessDenied", 400)));
    assertTrue(EcsServiceView.unavailable(answer("UnknownOperationException", 400)));
    assertTrue(EcsServiceView.unavailable(answer("UnsupportedFeatureException", 400)));
    assertTrue(EcsServiceView.unavailable(answer("InvalidAction", 400)));
    assertTrue(EcsServiceView.unavailable(answer(null, 403)), "a bare 403 from a proxy or endpoint");
    assertTrue(EcsServiceView.unavailable(answer("SomethingElse", 403)));
  }

  @Test
  void throttlingAndServerErrorsAreFailuresNotAFallback() {
    assertFalse(EcsServiceView.unavailable(answer("ThrottlingException", 400)));
    assertFalse(EcsServiceView.unavailable(answer("ServerException", 500)));
    assertFalse(EcsServiceView.unavailable(answer("InvalidActionName", 400)), "InvalidAction exactly");
    assertFalse(EcsServiceView.unavailable(answer(null, 500)));
    assertFalse(EcsServiceView.unavailable(answer(null, 400)));
  }

  @Test
  void theRevisionIsTheNumberAfterTheLastColon() {
    assertEquals(7, EcsServiceView.revisionOf("hello-app:7"));
    assertEquals(12, EcsServiceView.revisionOf("arn:aws:ecs:eu-west-1:123456789012:task-definition/hello-app:12"));
    assertEquals(-1, EcsServiceView.revisionOf("hello-app"));
    assertEquals(-1, EcsServiceView.revisionOf("hello-app:latest"));
    assertEquals(-1, EcsServiceView.revisionOf(null));
  }
}
