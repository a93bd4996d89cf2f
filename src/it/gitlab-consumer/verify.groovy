// The consumer job ran as GitLab runs it: OIDC login, GitLab log sections, v1.0.0 deployed, dotenv written.
import io.github.ecsdeploy.it.ItStandIn
import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory

import io.github.ecsdeploy.it.ItLog

def runs = ItLog.read(basedir)
assert runs.runs().size() == 2
def log = runs.run(1)
def debug = runs.run(2)
def props = new Properties()
new File(basedir, 'invoker.properties').withInputStream { props.load(it) }
def env = props.findAll { k, v -> k.startsWith('invoker.environmentVariables.') }
    .collectEntries { k, v -> [(k - 'invoker.environmentVariables.'): v] }

// What ran is the job's script line, with its variable expanded.
def job = new ObjectMapper(new YAMLFactory()).readTree(new File(basedir, '.gitlab-ci.yml')).get('deploy')
def script = job.get('script').asText().replace('$AWS_DEPLOY_ROLE_ARN', env['AWS_DEPLOY_ROLE_ARN'])
assert script == 'mvn ' + props.getProperty('invoker.goals.1')
assert env['CI_COMMIT_TAG'] ==~ job.at('/rules/0/if').asText().replaceAll(/^.*=~ \/(.*)\/$/, '$1')

assert log.contains('BUILD SUCCESS')
// Jib's caches are in the directory the job caches between pipelines.
assert new File(basedir, '.jib-cache/application-layers').isDirectory()
assert log.contains('credentials from GitLab ID token $GITLAB_OIDC_TOKEN -> role arn:aws:iam::123456789012:role/gitlab-deploy (session gitlab-group-its-gitlab-4242')
assert !log.contains(env['GITLAB_OIDC_TOKEN']) : 'the ID token is in the build log'
assert !log.contains(env['GITLAB_OIDC_TOKEN'].split('\\.')[1]) : 'the ID token payload is in the build log'
['validate-tag', 'push-image', 'register-task-def', 'update-service'].each { goal ->
  // GitLab recognises a marker only with its escape sequences (Jansi strips them from Maven's log in CI).
  // The runner passes \r through; invoker's build.log capture turns it into a line break, hence [\r\n].
  assert log =~ /(?m)^\u001b\[0Ksection_start:\d+:ecs-${goal}-\d+\[collapsed=true\][\r\n]\u001b\[0Kecs:${goal} \(its-gitlab\)$/ : "no GitLab section for ${goal}"
  assert log =~ /(?m)^\u001b\[0Ksection_end:\d+:ecs-${goal}-\d+[\r\n]\u001b\[0K$/ : "section of ${goal} not closed"
}

// The -X run: single goals with the same role; the revision is reused and the service left alone.
assert debug.contains('[DEBUG] ') && debug.contains('BUILD SUCCESS')
assert debug.contains('credentials from GitLab ID token $GITLAB_OIDC_TOKEN')
assert debug.contains('UNCHANGED') || debug.contains('already runs')
assert !(debug =~ /(?i)x-amz-security-token:\s*\S/) : 'the role session token is in the -X log'
assert !debug.contains(env['GITLAB_OIDC_TOKEN']) : 'the ID token is in the -X log'
assert !(debug =~ /(?i)(SecretAccessKey|SessionToken)["=:>]\s*\S/) : 'STS credentials are in the -X log'

def aws = ItStandIn.connect(standInEndpointFile)
try {
  def digest = aws.pushedDigest('its-gitlab', 'v1.0.0')
  assert aws.runningImage('its-gitlab', 'its-gitlab-svc', 'app') == "${aws.registry()}/its-gitlab:v1.0.0@${digest}".toString()
  def dotenv = new File(basedir, 'target/ecs-deploy/deploy.env').readLines()
  assert log.contains('COMPLETED: 2/2 running') : 'the tag pipeline deployed'
  assert dotenv.contains('ECS_DEPLOYMENT_OUTCOME=UNCHANGED') : 'written again by the -X re-run, which changed nothing'
  assert dotenv.contains('ECS_SERVICE=its-gitlab-svc')
  assert dotenv.any { it == "ECS_IMAGE=${aws.registry()}/its-gitlab:v1.0.0@${digest}".toString() }
} finally {
  aws.close()
}
return true
