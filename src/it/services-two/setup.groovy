// Two services, each running its own family at v1.0.0 of the same image.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.createCluster('services-two')
  for (svc in ['services-two-web', 'services-two-worker']) {
    def v100 = aws.registerTaskDefinition(svc, 'app', ItStandIn.image('services-two', 'v1.0.0'))
    aws.createService('services-two', svc, v100)
  }
  aws.waitSteady('services-two', 'services-two-web')
  aws.waitSteady('services-two', 'services-two-worker')
} finally {
  aws.close()
}
return true
