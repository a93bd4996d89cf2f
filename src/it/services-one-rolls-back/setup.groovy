// The worker's new revision (revision 2 of its family) crashes; the web service's does not.
import io.github.ecsdeploy.it.ItStandIn

def aws = ItStandIn.connect(standInEndpointFile)
try {
  aws.createCluster('services-one-rolls-back')
  for (svc in ['services-one-rolls-back-web', 'services-one-rolls-back-worker']) {
    def v100 = aws.registerTaskDefinition(svc, 'app', ItStandIn.image('services-one-rolls-back', 'v1.0.0'))
    aws.createService('services-one-rolls-back', svc, v100)
  }
  aws.waitSteady('services-one-rolls-back', 'services-one-rolls-back-web')
  aws.waitSteady('services-one-rolls-back', 'services-one-rolls-back-worker')
  aws.failTaskDefinition(ItStandIn.taskDefinitionArn('services-one-rolls-back-worker', 2))
} finally {
  aws.close()
}
return true
