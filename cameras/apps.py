from django.apps import AppConfig


class CamerasConfig(AppConfig):
    name = "cameras"
    verbose_name = "Cameras"

    def ready(self) -> None:
        from celery.signals import worker_process_init

        worker_process_init.connect(
            _preload_wsdls, dispatch_uid="cameras.preload_wsdls", weak=False
        )


def _preload_wsdls(**kwargs: object) -> None:
    """Parse the WSDLs when a worker process starts, not during its first camera call."""
    from cameras.onvif.wsdl import preload

    preload()
