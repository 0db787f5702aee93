"""Suite-wide settings: Hypothesis examples are judged on their result, not on how fast a
shared machine generated them (its health checks for slow generation fail under load)."""

from hypothesis import HealthCheck, settings

settings.register_profile(
    "dyad", deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.load_profile("dyad")
