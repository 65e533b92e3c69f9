"""AWS CDK app of Datastats.

NOTE: the CDK stacks are not written yet; the topology they will deploy is
`shared.topology.TOPOLOGY`, which the local runtime already uses.
"""
