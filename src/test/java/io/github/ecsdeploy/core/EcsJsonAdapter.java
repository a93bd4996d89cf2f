package io.github.ecsdeploy.core;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.ecsdeploy.standin.AwsErrorException;
import io.github.ecsdeploy.standin.JsonProtocolService;
import io.github.ecsdeploy.taskdef.SdkJson;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ecs.EcsClient;
import software.amazon.awssdk.services.ecs.model.DescribeServicesRequest;
import software.amazon.awssdk.services.ecs.model.DescribeTaskDefinitionRequest;
import software.amazon.awssdk.services.ecs.model.RegisterTaskDefinitionRequest;

/**
 * Serves an {@link EcsClient} fake over the stand-in's JSON 1.1 endpoint, converting bodies with
 * {@link SdkJson}, so a test can drive a real SDK client (and a whole Mojo) against {@link FakeEcs}. Only the
 * registrar's three operations; timestamps are not supported (the SDK expects epoch seconds on the wire).
 */
public final class EcsJsonAdapter implements JsonProtocolService {

  private final EcsClient delegate;

  public EcsJsonAdapter(EcsClient delegate) {
    this.delegate = delegate;
  }

  @Override
  public String targetPrefix() {
    return "AmazonEC2ContainerServiceV20141113";
  }

  @Override
  public JsonNode handle(String operation, JsonNode request) {
    try {
      switch (operation) {
        case "DescribeServices":
          return SdkJson.write(delegate.describeServices(
              SdkJson.readInto(DescribeServicesRequest.builder(), request, "").build()));
        case "DescribeTaskDefinition":
          return SdkJson.write(delegate.describeTaskDefinition(
              SdkJson.readInto(DescribeTaskDefinitionRequest.builder(), request, "").build()));
        case "RegisterTaskDefinition":
          return SdkJson.write(delegate.registerTaskDefinition(
              SdkJson.readInto(RegisterTaskDefinitionRequest.builder(), request, "").build()));
        default:
          throw AwsErrorException.client("UnknownOperationException", operation);
      }
    } catch (AwsServiceException e) {
      throw AwsErrorException.client(e.awsErrorDetails().errorCode(), e.awsErrorDetails().errorMessage());
    }
  }
}
