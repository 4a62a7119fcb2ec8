# One image, three task families: api (HTTP), worker (BullMQ processors), migrate (one-off
# `npm run migrate` equivalent run before each release; docs/runbook.md, "Deploy").
# Environment and secrets come from env.tf.

locals {
  image = "${local.ecr_repository_url}:${var.image_tag}"

  families = {
    api     = { role = "api", cpu = var.api_cpu, memory = var.api_memory, command = null }
    worker  = { role = "worker", cpu = var.worker_cpu, memory = var.worker_memory, command = null }
    migrate = { role = "worker", cpu = 512, memory = 1024, command = ["node", "dist/database/migrate.js"] }
  }

  # api and worker both serve /health/live (the worker for this check and for /metrics only).
  health_check = {
    command     = ["CMD-SHELL", "node -e \"fetch('http://127.0.0.1:${var.app_port}/health/live').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))\""]
    interval    = 15
    timeout     = 5
    retries     = 3
    startPeriod = 20
  }
}

resource "aws_ecs_task_definition" "app" {
  for_each                 = local.families
  family                   = "${var.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.cpu
  memory                   = each.value.memory
  execution_role_arn       = aws_iam_role.execution[each.value.role].arn
  task_role_arn            = aws_iam_role.task[each.value.role].arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([
    {
      name                   = "app"
      image                  = local.image
      essential              = true
      command                = each.value.command
      readonlyRootFilesystem = true
      stopTimeout            = 30
      environment            = local.role_environment[each.value.role]
      secrets                = local.role_secrets[each.value.role]
      portMappings           = each.key == "api" ? [{ containerPort = var.app_port, protocol = "tcp" }] : []
      healthCheck            = each.key == "migrate" ? null : local.health_check
      mountPoints            = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
      linuxParameters        = { initProcessEnabled = true }
      ulimits                = [{ name = "nofile", softLimit = 65536, hardLimit = 65536 }]
      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.app[each.key].name
          awslogs-region        = data.aws_region.current.region
          awslogs-stream-prefix = each.key
          mode                  = "non-blocking"
          max-buffer-size       = "25m"
        }
      }
    }
  ])

  tags = merge(var.tags, { Role = each.key })
}
