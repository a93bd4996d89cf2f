// validate-tag refused 'latest' with every reason and the fix, in the validate phase: nothing was compiled,
// no state file was written, and ECS is as setup.groovy left it.
import io.github.ecsdeploy.it.ItLog
import io.github.ecsdeploy.it.ItStandIn
import static io.github.ecsdeploy.it.ItLog.assertInOrder

def text = ItLog.read(basedir).text()
assertInOrder(text,
    ':validate-tag (ecs-validate) @ its-badtag',
    "Validating release tag 'latest' (from <tag> / -Decs.tag)",
    'BUILD FAILURE',
    ":validate-tag (ecs-validate) on project its-badtag: The tag 'latest' may not deploy (2 problems):",
    "The tag 'latest' is a mutable name: a tag that moves cannot be rolled back to. Tag each release with its own version instead, e.g. v1.0.0.",
    "the project version is 1.0.0, so the tag must be v1.0.0",
    '<requireProjectVersion> / -Decs.validateTag.requireProjectVersion=false')
['compiler:', 'resources:', 'register-task-def', 'update-service', 'Tag latest may deploy'].each {
  assert !text.contains(it) : "${it} ran after validate-tag failed"
}
assert !new File(basedir, 'target/classes').exists() : 'compiled although the tag was refused'
assert !new File(basedir, 'target/ecs-deploy').exists()

ItStandIn.connect(standInEndpointFile).withCloseable { aws ->
  aws.assertUntouched('its-badtag', 'its-badtag-svc')
}
return true
