// In the listed order the worker went first and rolled back: the web service was never started.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def text = ItLog.read(basedir).text()
assertInOrder(text,
    'Deploying 2 services in the listed order, each after the previous one succeeded: [services-ordered-worker, services-ordered-web]',
    '[services-ordered-worker] Started deployment ',
    'Verdict per service:',
    '  services-ordered-worker: FAILED: Deployment ',
    '  services-ordered-web: NOT STARTED (an earlier service failed; it still runs what it ran)',
    'BUILD FAILURE',
    '1 of 2 services failed: [services-ordered-worker]. Not started: [services-ordered-web]')
assert !text.contains('[services-ordered-web] Started deployment') : 'web must not start after the worker failed'
assert !new File(basedir, 'target/ecs-deploy/services/services-ordered-web/deployment.json').exists()

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.assertRuns('services-ordered', 'services-ordered-web', 'services-ordered-web', 1)
  aws.assertRuns('services-ordered', 'services-ordered-worker', 'services-ordered-worker', 1)
}
return true
