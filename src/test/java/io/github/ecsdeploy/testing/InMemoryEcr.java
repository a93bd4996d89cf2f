package io.github.ecsdeploy.testing;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeImagesRequest;
import software.amazon.awssdk.services.ecr.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesRequest;
import software.amazon.awssdk.services.ecr.model.DescribeRepositoriesResponse;
import software.amazon.awssdk.services.ecr.model.ImageDetail;
import software.amazon.awssdk.services.ecr.model.ImageNotFoundException;
import software.amazon.awssdk.services.ecr.model.ImageTagMutability;
import software.amazon.awssdk.services.ecr.model.ImageTagMutabilityExclusionFilter;
import software.amazon.awssdk.services.ecr.model.Repository;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;

/**
 * An in-memory ECR for unit tests of pure logic, with only DescribeRepositories and DescribeImages (by tag); any
 * other operation throws (the SDK interface's default). Repositories have a tag mutability and exclusion
 * filters; images are looked up by {@code repository:tag}. The registry API Jib pushes to is the stand-in's.
 */
public final class InMemoryEcr implements EcrClient {

  /** Repositories by name. */
  public final Map<String, Repository> repositories = new HashMap<>();

  /** Images by {@code repository:tag}. */
  public final Map<String, ImageDetail> images = new HashMap<>();

  /** Every DescribeRepositories request, in order. */
  public final List<DescribeRepositoriesRequest> describeRepositories = new ArrayList<>();

  /** Every DescribeImages request, in order. */
  public final List<DescribeImagesRequest> describeImages = new ArrayList<>();

  /** When set, DescribeRepositories throws this (after recording the request). */
  public RuntimeException failWith;

  /** Adds a repository with the given tag mutability and {@code WILDCARD} exclusion filters. */
  public void repository(String name, ImageTagMutability mutability, String... exclusions) {
    List<ImageTagMutabilityExclusionFilter> filters = new ArrayList<>();
    for (String f : exclusions) {
      filters.add(ImageTagMutabilityExclusionFilter.builder().filterType("WILDCARD").filter(f).build());
    }
    repositories.put(name, Repository.builder().repositoryName(name).imageTagMutability(mutability)
        .imageTagMutabilityExclusionFilters(filters).build());
  }

  /** Adds the image {@code repository:tag} with {@code digest}, pushed at 2026-11-20T10:00:00Z. */
  public void image(String repository, String tag, String digest) {
    images.put(repository + ":" + tag, ImageDetail.builder().repositoryName(repository).imageTags(tag)
        .imageDigest(digest).imagePushedAt(Instant.parse("2026-11-20T10:00:00Z")).build());
  }

  @Override
  public DescribeRepositoriesResponse describeRepositories(DescribeRepositoriesRequest request) {
    describeRepositories.add(request);
    if (failWith != null) {
      throw failWith;
    }
    Repository r = repositories.get(request.repositoryNames().get(0));
    if (r == null) {
      throw RepositoryNotFoundException.builder().message("The repository does not exist").build();
    }
    return DescribeRepositoriesResponse.builder().repositories(r).build();
  }

  @Override
  public DescribeImagesResponse describeImages(DescribeImagesRequest request) {
    describeImages.add(request);
    ImageDetail d = images.get(request.repositoryName() + ":" + request.imageIds().get(0).imageTag());
    if (d == null) {
      throw ImageNotFoundException.builder().message("The image does not exist").build();
    }
    return DescribeImagesResponse.builder().imageDetails(d).build();
  }

  @Override
  public String serviceName() {
    return "ecr";
  }

  @Override
  public void close() {}
}
