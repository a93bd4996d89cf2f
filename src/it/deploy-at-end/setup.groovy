// Two services, each in its own cluster with its own (empty, IMMUTABLE) ECR repository, running v0.9.0.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  for (name in ['its-at-end-a', 'its-at-end-b']) {
    aws.seedService(name, name, 'app', ItStandIn.image(name, 'v0.9.0'))
    assert aws.images(name).isEmpty()
  }
} finally {
  aws.close()
}
return true
