// The worker's new revision (revision 2 of its family) crashes; the web service's does not.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.createCluster('services-ordered')
  for (svc in ['services-ordered-web', 'services-ordered-worker']) {
    def v100 = aws.registerTaskDefinition(svc, 'app', ItStandIn.image('services-ordered', 'v1.0.0'))
    aws.createService('services-ordered', svc, v100)
  }
  aws.waitSteady('services-ordered', 'services-ordered-web')
  aws.waitSteady('services-ordered', 'services-ordered-worker')
  aws.failTaskDefinition(ItStandIn.taskDefinitionArn('services-ordered-worker', 2))
} finally {
  aws.close()
}
return true
