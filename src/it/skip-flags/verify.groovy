// Each bound goal logged exactly one line naming the flag that skipped it, and did nothing else.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder
import static io.github.ecsdeploy.it.ItLog.count

def log = ItLog.read(basedir)
assert log.runs().size() == 3
def flags = [
    1: ['ecs.skip', 'ecs.skip', 'ecs.skip', 'ecs.skip'],
    2: ['ecs.validateTag.skip', 'ecs.pushImage.skip', 'ecs.registerTaskDef.skip', 'ecs.updateService.skip']]
flags.each { run, names ->
  def text = log.run(run)
  def goals = ['validate-tag', 'push-image', 'register-task-def', 'update-service']
  def expected = []
  goals.eachWithIndex { goal, i ->
    expected << ":${goal} (ecs-" << "Skipping ecs:${goal} because ${names[i]}=true"
  }
  assertInOrder(text, *(expected.collect { it.toString() } + ['BUILD SUCCESS']))
  assert count(text, 'Skipping ecs:') == 4
  // The line right after each goal header is its skip line: nothing else was logged (no AWS client, no tag).
  goals.each { goal ->
    def after = text.substring(text.indexOf(":${goal} (ecs-")).readLines()
    assert after[1].startsWith("[INFO] Skipping ecs:${goal} because ") : after.take(3)
    assert after[2] == '[INFO] ' || after[2].startsWith('[INFO] ---') || after[2].startsWith('[INFO] ----') : after.take(3)
  }
  assert !text.contains('AWS region') && !text.contains('Validating release tag')
}
assert !new File(basedir, 'target/ecs-deploy').exists()

// Run 3: -Decs.skip=yes stopped the build at the first goal, naming the parameter, before it did anything.
def typo = log.run(3)
assertInOrder(typo, ':validate-tag (ecs-', 'BUILD FAILURE',
    ":validate-tag (ecs-validate) on project its-skip: <skip> / -Decs.skip is 'yes', which is neither true nor"
        + " false (Maven would read it as false)")
assert !typo.contains('AWS region') && !typo.contains('Validating release tag') && !typo.contains(':push-image (ecs-')

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.assertUntouched('its-skip', 'its-skip-svc')
  assert aws.images('its-skip').isEmpty()
}
return true
