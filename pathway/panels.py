"""What outer apps add to the points on the pathway page, without the pathway importing them
(docs/architecture.md: inner layers never import outer ones).

An outer app registers a loader in its AppConfig.ready:

    panels.register_point_loader("portal.invitation_box", services.load_boxes)

A loader is called with the points the acting organisation can act on (several, of one enrolment)
and the enrolment's patient, and sets the attributes its panel reads on each point, in a fixed
number of queries however many points there are. The portal sets `latest_invitation` and
`patient_answers` (the invitation box), the assessment sets `assessment_started`. Loaders run in
the order they were registered; registering a name again replaces its loader.
"""

from collections.abc import Callable, Sequence
from typing import Any

PointLoader = Callable[[Sequence[Any], Any], None]

_point_loaders: dict[str, PointLoader] = {}


def register_point_loader(name: str, loader: PointLoader) -> None:
    _point_loaders[name] = loader


def load_points(points: Sequence[Any], patient: Any) -> None:
    """Every registered panel's data for `points` (the pathway page's points to act on)."""
    for loader in _point_loaders.values():
        loader(points, patient)
