from django.apps import AppConfig


class CountriesConfig(AppConfig):
    name = "msmelens.countries"
    verbose_name = "Countries"
