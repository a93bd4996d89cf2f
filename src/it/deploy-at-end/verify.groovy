// Run 1 (v1.0.0): service-b's test failed after service-a had reached its deploy-phase goals, which only held their work:
// no image, no task definition revision and no deployment anywhere. Run 2 (v1.0.1): the last deploying execution of the
// reactor (service-b's update-service) ran all six held goals, service-a's three first, each in lifecycle order.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def log = ItLog.read(basedir)
assert log.runs().size() == 2
def names = ['its-at-end-a', 'its-at-end-b']

def failed = log.run(1)
assertInOrder(failed,
    ':push-image (ecs-deploy) @ its-at-end-a',
    'Holding ecs:push-image until every module',
    ':register-task-def (ecs-deploy) @ its-at-end-a',
    'Holding ecs:register-task-def until every module',
    ':update-service (ecs-deploy) @ its-at-end-a',
    'Holding ecs:update-service until every module',
    'Running demo.b.ServiceBTest',
    'service b is broken in this run',
    'BUILD FAILURE')
assert !failed.contains('Running the held') : 'a held goal ran although service-b failed'
assert !failed.contains('Pushed ') && !failed.contains('Registered task definition')
assert !failed.contains(':push-image (ecs-deploy) @ its-at-end-b') : 'service-b reached deploy despite its test'

def aws = ItStandIn.connect(standInEndpointFile)
try {
  def release = log.run(2)
  def pinned = [:]
  for (name in names) {
    pinned[name] = "${aws.registry()}/${name}:v1.0.1@${aws.pushedDigest(name, 'v1.0.1')}".toString()
  }
  assertInOrder(release,
      ':push-image (ecs-deploy) @ its-at-end-a',
      'Holding ecs:push-image until every module',
      ':update-service (ecs-deploy) @ its-at-end-a',
      'Holding ecs:update-service until every module',
      'Running demo.b.ServiceBTest',
      ':push-image (ecs-deploy) @ its-at-end-b',
      'Holding ecs:push-image until every module',
      ':update-service (ecs-deploy) @ its-at-end-b',
      'Running the held ecs:push-image of its-at-end-a (1 of 6',
      "Image ${pinned['its-at-end-a']} (pushed)",
      'Running the held ecs:register-task-def of its-at-end-a (2 of 6',
      "Registered task definition its-at-end-a:2",
      'Running the held ecs:update-service of its-at-end-a (3 of 6',
      'of its-at-end-a:2 COMPLETED',
      'Running the held ecs:push-image of its-at-end-b (4 of 6',
      "Image ${pinned['its-at-end-b']} (pushed)",
      'Running the held ecs:register-task-def of its-at-end-b (5 of 6',
      "Registered task definition its-at-end-b:2",
      'Running the held ecs:update-service of its-at-end-b (6 of 6',
      'of its-at-end-b:2 COMPLETED',
      'BUILD SUCCESS')
  assert ItLog.count(release, 'Running the held') == 6

  for (name in names) {
    // Run 1 (v1.0.0) left no trace: no v1.0.0 image, and no revision or deployment of its own (each deployment
    // needs a revision: the seeded one is 1, run 2's is 2).
    assert aws.images(name).values().flatten() == ['v1.0.1'] : "${name}: ${aws.images(name)}"
    assert aws.revisions(name) == [ItStandIn.taskDefinitionArn(name, 1), ItStandIn.taskDefinitionArn(name, 2)]
    assert aws.taskDefinitionOf(name, name) == ItStandIn.taskDefinitionArn(name, 2)
    assert aws.runningImage(name, name, 'app') == pinned[name]
  }
} finally {
  aws.close()
}
return true
