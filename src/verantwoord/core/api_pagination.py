"""Page-number pagination with camelCase query keys (`page`, `pageSize`), per the NL API Design Rules."""

from rest_framework.pagination import PageNumberPagination


class PagePagination(PageNumberPagination):
    page_query_param = "page"
    page_size_query_param = "pageSize"
    max_page_size = 500
