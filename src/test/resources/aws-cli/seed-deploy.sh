#!/usr/bin/env bash
# The deploy stage users copy into GitLab today (the "seed" script), run verbatim by the real AWS CLI and jq.
# Only difference: this AWS CLI (Debian's 2.9) ignores AWS_ENDPOINT_URL, so `aws` is a function that adds
# --endpoint-url for the local stand-in. GitLab stops a job at the first failing line: `set -e` does the same.
set -e
aws() { "${AWS_CLI}" --endpoint-url "${STAND_IN_ENDPOINT}" "$@"; }

aws ecs describe-task-definition --task-definition ${TASK_DEFINITION} --output json > temp.json
jq '.taskDefinition | del (.taskDefinitionArn, .revision, .status, .requiresAttributes, .compatibilities, .registeredAt, .registeredBy)' temp.json > task-def.json
jq --arg NEW_IMAGE "${NEW_IMAGE}" '.containerDefinitions[0].image = $NEW_IMAGE' task-def.json > new-task-def.json
aws ecs register-task-definition --cli-input-json file://new-task-def.json
aws ecs update-service --cluster ${ECS_CLUSTER} --service ${ECS_SERVICE} --task-definition ${TASK_DEFINITION}
aws ecs wait services-stable --cluster ${ECS_CLUSTER} --services ${ECS_SERVICE}
