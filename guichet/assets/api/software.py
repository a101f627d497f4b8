"""The software catalogue and what is installed where.

The catalogue is shared by every client, but a product's name can tell what a client runs:
the caller sees the products installed on an asset or named by a licence they may see, and
the support staff also the bare entries of the catalogue (on no machine, in no licence).
Every count is of the installations on assets the caller may see.
"""

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from ninja import Field, Query, Schema

from guichet.accounts.access import is_staff_member, visible_assets, visible_licences
from guichet.assets.models import Installation, Licence, Product
from guichet.lib.pagination import keyset_page
from guichet.lib.schemas import Id, PageOut, Ref, Text, built_response, page_cursor, responses

from .asset_schemas import InstallationOut
from .base import ItemId, page_out, ref, router
from .parts import installation_out

tags = ["software"]
SEARCH_TERMS = 8
ASSET_UNUSED = ("asset__notes", "asset__custom_fields", "asset__inventory_digests")


def visible_installations(user) -> QuerySet:
    return Installation.objects.filter(asset__in=visible_assets(user).values("pk"))


def visible_products(user) -> QuerySet:
    """The products `user` may see (see the module's docstring)."""
    installed = visible_installations(user).filter(product=OuterRef("pk"))
    licensed = visible_licences(user).filter(product=OuterRef("pk"))
    products = Product.objects.all()
    if not is_staff_member(user):
        return products.filter(Exists(installed) | Exists(licensed))
    anywhere = Installation.objects.filter(product=OuterRef("pk"))
    any_licence = Licence.objects.filter(product=OuterRef("pk"))
    bare = Q(~Exists(anywhere), ~Exists(any_licence))
    return products.filter(Q(Exists(installed)) | Q(Exists(licensed)) | bare)


class ProductFilters(Schema):
    q: Text = Field("", max_length=200, description="Words of the product's name.")
    publisher: Id | None = Field(None, description="The publisher's id.")
    hidden: bool = Field(False, description="Include the products hidden from reports.")
    cursor: Text | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


class ProductOut(Schema):
    id: int
    name: str
    publisher: Ref | None
    hidden: bool = Field(description="Hidden from reports (system libraries, updates).")


class ProductPage(PageOut):
    items: list[ProductOut]


class ProductVersionOut(Schema):
    id: int
    version: str
    installation_count: int = Field(description="Installations on assets the caller may see.")


class ProductDetail(ProductOut):
    installation_count: int = Field(description="Installations on assets the caller may see.")
    versions: list[ProductVersionOut]


class InstallationFilters(Schema):
    asset: Id | None = None
    product: Id | None = None
    organisation: Id | None = Field(None, description="The asset's organisation.")
    cursor: Text | None = Field(None, max_length=500)
    limit: int = Field(50, ge=1, le=200)


class InstallationPage(PageOut):
    items: list[InstallationOut]


def product_out(product: Product) -> dict:
    return {
        "id": product.pk,
        "name": product.name,
        "publisher": ref(product.publisher),
        "hidden": product.hidden,
    }


@router.get("/software", response=responses(ProductPage), summary="List software", tags=tags)
def list_products(request, filters: Query[ProductFilters]):
    """Software products by name, without those hidden from reports unless asked."""
    products = visible_products(request.auth).select_related("publisher")
    for term in filters.q.split()[:SEARCH_TERMS]:
        products = products.filter(name__icontains=term)
    if filters.publisher is not None:
        products = products.filter(publisher_id=filters.publisher)
    if not filters.hidden:
        products = products.filter(hidden=False)
    page = keyset_page(
        products,
        field="name",
        descending=False,
        size=filters.limit,
        cursor=page_cursor(filters.cursor, str),
    )
    return built_response(request, page_out(page, [product_out(p) for p in page.items]))


@router.get(
    "/software/{product_id}",
    response=responses(ProductDetail),
    summary="Read a product",
    tags=tags,
)
def read_product(request, product_id: ItemId):
    """One product with its versions and how many times each is installed on the assets the
    caller may see."""
    user = request.auth
    product = visible_products(user).select_related("publisher").filter(pk=product_id).first()
    if product is None:
        raise Http404
    mine = Q(installations__asset__in=visible_assets(user).values("pk"))
    versions = product.versions.annotate(
        installation_count=Count("installations", filter=mine)
    ).order_by("version", "id")
    rows = [
        {"id": v.pk, "version": v.version, "installation_count": v.installation_count}
        for v in versions
    ]
    return {
        **product_out(product),
        "installation_count": sum(v["installation_count"] for v in rows),
        "versions": rows,
    }


@router.get(
    "/installations",
    response=responses(InstallationPage),
    summary="List installations",
    tags=tags,
)
def list_installations(request, filters: Query[InstallationFilters]):
    """Software present on the assets the caller may see, the most recently found first; each
    was last seen at its asset's last inventory."""
    installations = (
        visible_installations(request.auth)
        .select_related("asset", "product", "version")
        .defer(*ASSET_UNUSED)
    )
    if filters.asset is not None:
        installations = installations.filter(asset_id=filters.asset)
    if filters.product is not None:
        installations = installations.filter(product_id=filters.product)
    if filters.organisation is not None:
        installations = installations.filter(asset__organisation_id=filters.organisation)
    page = keyset_page(
        installations,
        field="id",
        descending=True,
        size=filters.limit,
        cursor=page_cursor(filters.cursor, int),
    )
    items = [installation_out(i, i.asset) for i in page.items]
    return built_response(request, page_out(page, items))
