package io.github.ecsdeploy.standin;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One AWS service spoken in the AWS JSON 1.1 protocol: the stand-in's HTTP server picks the service by the
 * prefix of {@code X-Amz-Target} ({@code <prefix>.<Operation>}) and hands it the parsed body.
 */
public interface JsonProtocolService {

  /** The {@code X-Amz-Target} prefix, e.g. {@code AmazonEC2ContainerServiceV20141113}. */
  String targetPrefix();

  /**
   * Answers one operation.
   *
   * @param operation the part of {@code X-Amz-Target} after the dot, e.g. {@code DescribeServices}
   * @param request the JSON body (an empty object when the body was empty)
   * @return the JSON answer body (HTTP 200)
   * @throws AwsErrorException for an error as AWS sends it; an unknown operation is
   *     {@code UnknownOperationException}
   */
  JsonNode handle(String operation, JsonNode request);
}
