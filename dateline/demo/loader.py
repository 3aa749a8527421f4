"""Load the demo outlet from content.json through the same actions the newsroom uses."""

import json
from datetime import datetime, timedelta
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Site

from dateline.ads.models import HouseAd
from dateline.comments.actions import do_moderate_comment, do_submit_comment
from dateline.comments.models import Comment
from dateline.live.actions import do_create_live_page, do_pin_entry, do_post_entry
from dateline.newsroom.actions import do_create_article, do_publish_article
from dateline.newsroom.models import (
    ArticlePage,
    Author,
    HomePage,
    OutletSettings,
    PlainPage,
    SectionPage,
)

from . import images

CONTENT = Path(__file__).with_name("content.json")
IMAGE_AFTER_PARAGRAPH = 5


class DemoLoader:
    def __init__(self, stdout, content_path=CONTENT):
        self.stdout = stdout
        self.content = json.loads(Path(content_path).read_text(encoding="utf-8"))
        self.site = Site.objects.get(is_default_site=True)
        self.home = HomePage.objects.get(pk=self.site.root_page_id)

    @transaction.atomic
    def load(self):
        self.load_outlet()
        sections = self.load_sections()
        authors = self.load_authors()
        articles = self.load_articles(sections, authors)
        self.load_comments(articles)
        self.load_live_pages(sections, authors)
        self.load_house_ad()
        self.load_pages()
        lead = articles.get(self.content.get("lead_story", ""))
        if lead:
            self.home.lead_story = lead
            self.home.save_revision().publish()

    def load_outlet(self):
        data = self.content["outlet"]
        outlet = OutletSettings.for_site(self.site)
        outlet.name = data["name"]
        outlet.tagline = data.get("tagline", "")
        outlet.short_name = data.get("short_name", "")
        outlet.theme_colour = data.get("theme_colour", outlet.theme_colour)
        for field, url in data.get("social", {}).items():
            setattr(outlet, field, url)
        outlet.icon = self.image(
            f"{data['name']} icon", images.portrait(data["name"], 0, size=(512, 512))
        )
        outlet.save()
        self.site.site_name = outlet.name
        self.site.save()

    def load_sections(self):
        sections = {}
        for data in self.content["sections"]:
            section = SectionPage(
                title=data["title"],
                slug=data["slug"],
                intro=data["intro"],
                show_in_menus=True,
            )
            self.home.add_child(instance=section)
            section.save_revision().publish()
            sections[data["slug"]] = section
        self.stdout.write(f"  {len(sections)} sections")
        return sections

    def load_authors(self):
        authors = {}
        for i, data in enumerate(self.content["authors"]):
            photo = self.image(
                f"Portrait of {data['name']}", images.portrait(data["name"], i)
            )
            authors[data["slug"]] = Author.objects.create(photo=photo, **data)
        self.stdout.write(f"  {len(authors)} authors")
        return authors

    def load_articles(self, sections, authors):
        articles = {}
        total = len(self.content["articles"])
        for number, data in enumerate(self.content["articles"], start=1):
            self.stdout.write(f"  [{number}/{total}] {data['title']}")
            articles[data["slug"]] = self.load_article(data, sections, authors)
        return articles

    def load_article(self, data, sections, authors):
        picture = data["image"]
        lead_image = self.image(
            picture["caption"],
            images.illustration(picture["palette"], data["slug"]),
            description=picture["caption"],
        )
        article = do_create_article(
            sections[data["section"]],
            authors=[authors[slug] for slug in data["authors"]],
            tags=data.get("tags", []),
            title=data["title"],
            slug=data["slug"],
            standfirst=data["standfirst"],
            dateline_place=data["dateline"],
            language=data.get("language", "en"),
            lead_image=lead_image,
            body=self.body(data),
        )
        do_publish_article(article)
        published = datetime.fromisoformat(data["published"])
        updated = (
            datetime.fromisoformat(data["updated"])
            if data.get("updated")
            else published
        )
        ArticlePage.objects.filter(pk=article.pk).update(
            first_published_at=published,
            last_published_at=updated,
        )
        return article

    def body(self, data):
        blocks, paragraphs = [], 0
        for block in data["body"]:
            kind = block["type"]
            if kind == "paragraph":
                blocks.append({"type": "paragraph", "value": block["html"]})
                paragraphs += 1
                if paragraphs == IMAGE_AFTER_PARAGRAPH and len(data["body"]) > 9:
                    blocks.append(self.inline_image_block(data))
            elif kind == "subheading":
                blocks.append({"type": "subheading", "value": block["text"]})
            elif kind == "blockquote":
                blocks.append(
                    {
                        "type": "blockquote",
                        "value": {
                            "quote": block["quote"],
                            "attribution": block.get("attribution", ""),
                        },
                    }
                )
            elif kind == "pullquote":
                blocks.append(
                    {
                        "type": "pullquote",
                        "value": {
                            "text": block["text"],
                            "attribution": block.get("attribution", ""),
                        },
                    }
                )
        return blocks

    def inline_image_block(self, data):
        picture = data["image"]
        image = self.image(
            f"{data['title']} (detail)",
            images.illustration(picture["palette"] + 1, data["slug"] + "-detail"),
            description=picture["caption"],
        )
        return {
            "type": "image",
            "value": {
                "image": image.pk,
                "caption": picture["caption"],
                "credit": picture["credit"],
            },
        }

    def load_comments(self, articles):
        count = 0
        for data in self.content.get("comments", []):
            comment = do_submit_comment(
                article=articles[data["article"]],
                name=data["name"],
                email=data["email"],
                website=data.get("website", ""),
                body=data["body"],
            )
            do_moderate_comment(comment, "approve")
            Comment.objects.filter(pk=comment.pk).update(
                created_at=datetime.fromisoformat(data["posted"])
            )
            count += 1
        self.stdout.write(f"  {count} reader comments")

    def load_pages(self):
        """About, Contact, Privacy and Terms: plain pages the footer links to."""
        outlet = OutletSettings.for_site(self.site)
        for data in self.content.get("pages", []):
            body = [
                {"type": "paragraph", "value": f"<p>{text}</p>"}
                for text in data["paragraphs"]
            ]
            page = PlainPage(title=data["title"], slug=data["slug"], body=body)
            self.home.add_child(instance=page)
            page.save_revision().publish()
            setattr(outlet, data["setting"], page)
        outlet.save()
        self.stdout.write(f"  {len(self.content.get('pages', []))} plain pages")

    def load_live_pages(self, sections, authors):
        for data in self.content.get("live_pages", []):
            self.stdout.write(f"  [live] {data['title']}")
            self.load_live_page(data, sections, authors)

    def load_live_page(self, data, sections, authors):
        started = datetime.fromisoformat(data["started"])
        picture = data["image"]
        page = do_create_live_page(
            sections[data["section"]],
            authors=[authors[slug] for slug in data["authors"]],
            tags=data.get("tags", []),
            title=data["title"],
            slug=data["slug"],
            standfirst=data["standfirst"],
            dateline_place=data["dateline"],
            coverage_start=started,
            lead_image=self.image(
                picture["caption"],
                images.illustration(picture["palette"], data["slug"]),
                description=picture["caption"],
            ),
        )
        do_publish_article(page)
        ArticlePage.objects.filter(pk=page.pk).update(first_published_at=started)
        for entry in data["entries"]:
            posted = do_post_entry(
                page,
                title=entry.get("title", ""),
                body=entry["html"],
                author=authors[data["authors"][0]],
                key_event=entry.get("key_event", False),
                now=started + timedelta(minutes=entry["minutes"]),
            )
            if entry.get("pinned"):
                do_pin_entry(posted, True)
        return page

    def load_house_ad(self):
        data = self.content["house_ad"]
        ad = HouseAd.for_site(self.site)
        ad.image = self.image(
            data["alt"],
            images.house_ad(
                data["headline"], data["subline"], self.content["outlet"]["name"]
            ),
        )
        ad.link_url = data["link"]
        ad.alt_text = data["alt"]
        ad.save()

    def image(self, title, data, description=""):
        Image = get_image_model()
        from io import BytesIO

        image = Image(title=title[:255], description=description[:255])
        image.file = ImageFile(BytesIO(data), name="demo.jpg")
        image.save()
        return image
