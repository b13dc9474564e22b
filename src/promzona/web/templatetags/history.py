from django import template

from promzona.web.history import readable

register = template.Library()
register.filter("readable", readable)
