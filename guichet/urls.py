from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import include, path
from django.views.generic import RedirectView

from guichet.api import api, register_routers
from guichet.configuration.admin import site as admin_site

register_routers()


@login_required
def home(request):
    """Staff land on their queue, requesters on the portal."""
    if request.user.is_support_staff:
        return redirect("tickets:queue")
    return redirect("portal:home")


urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("guichet.accounts.urls")),
    path("tickets/", include("guichet.tickets.urls")),
    path("portal/", include("guichet.portal.urls")),
    path("sla/", include("guichet.sla.urls")),
    path("mail/", include("guichet.mail.urls")),
    path("knowledge/", include("guichet.knowledge.urls")),
    path("problems/", include("guichet.problems.urls")),
    path("scripts/", include("guichet.scripts.urls")),
    path("assets/", include("guichet.assets.urls")),
    path("inventory/", include("guichet.inventory.urls")),
    path("search/", include("guichet.search.urls")),
    path("notifications/", include("guichet.notifications.urls")),
    path("configuration/", include("guichet.configuration.urls")),
    path("admin/", admin_site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False), name="api-docs"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
