/**
 * AWS SDK v2 client construction: region, endpoint override, retry strategy, credentials. Core code
 * receives the SDK's client interfaces ({@code EcsClient}, {@code EcrClient}), which tests replace with
 * fakes or point at the local stand-in.
 */
package io.github.ecsdeploy.aws;
