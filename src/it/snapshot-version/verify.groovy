// validate-tag refused the SNAPSHOT version, said what to release, and nothing after it ran or changed.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def text = ItLog.read(basedir).text()
assertInOrder(text,
    ':validate-tag (ecs-validate) @ its-snapshot',
    "Validating release tag 'v1.1.0' (from <tag> / -Decs.tag)",
    'BUILD FAILURE',
    ":validate-tag (ecs-validate) on project its-snapshot: The tag 'v1.1.0' may not deploy (1 problem):",
    'The project version 1.1.0-SNAPSHOT is a SNAPSHOT, and a SNAPSHOT never deploys',
    'mvn versions:set -DnewVersion=1.1.0',
    'tag that commit v1.1.0')
['install:', 'register-task-def (', 'update-service (', 'may deploy.'].each {
  assert !text.contains(it) : "${it} ran after validate-tag failed"
}
assert !new File(basedir, 'target/ecs-deploy').exists()

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.assertUntouched('its-snapshot', 'its-snapshot-svc')
}
return true
