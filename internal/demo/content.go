package demo

import (
	"time"

	"github.com/headline/headline/internal/news"
)

// The demo content is invented: the newspaper, the Republic of Velmora, the
// cities of Wangchao (望潮), Beiling (北岭) and Zarechinsk (Заречинск) and
// everyone quoted do not exist. Links go to the reserved example.org and
// example.com domains; emails to example.com.

// account is a demo account; its password is made when seeding.
type account struct {
	Handle, Name, Email string
	Role                news.Role
	Official            string
}

// article is a demo post. Articles are written in the order of
// demoArticles; the first must be a published one with Ago 0, because its
// publishing time tells Seed the services' clock.
type article struct {
	Key    string // names the article inside this package (RepublishOf)
	Author string // handle
	Title  string
	// Summary, Body, Lang and Tags of a republished article default to the
	// original's; Title, Body and Lang are always the original's.
	Summary string
	Body    string // Markdown
	Lang    string
	Tags    []string
	// Ago is how long before the first article this one was published.
	Ago time.Duration
	// Status is "" (published), "draft" or "scheduled"; In is how long
	// after the first article a scheduled one goes public.
	Status string
	In     time.Duration
	// RepublishOf is the key of an earlier article whose text this one
	// republishes, crediting the original's author and address as source.
	RepublishOf string
	Comments    []comment
}

// comment is a demo comment with its replies. By is the handle of the
// account writing it, or "" for a guest with Name, Email and Website.
type comment struct {
	By                   string
	Name, Email, Website string
	Body                 string
	Replies              []comment
}

const (
	hour = time.Hour
	day  = 24 * time.Hour
)

// Handles of the demo accounts that the content refers to.
const (
	newspaper = "dailyharbor"
	embassy   = "velmora_embassy"
	scientist = "nadia_science"
	moderator = "moderator"
	kofi      = "kofi_mensah"
	maria     = "maria_garcia"
	liWei     = "li_wei"
	olga      = "olga_smirnova"
)

var demoAccounts = []account{
	{Handle: "admin", Name: "Site Administrator", Email: "admin@example.com", Role: news.RoleAdmin},
	{Handle: moderator, Name: "Amara Okafor", Email: "amara@example.com", Role: news.RoleModerator},
	{Handle: newspaper, Name: "The Daily Harbor", Email: "newsroom@example.com", Role: news.RolePublisher, Official: "Newspaper"},
	{Handle: embassy, Name: "Embassy of the Republic of Velmora", Email: "press@velmora.example.com", Role: news.RolePublisher, Official: "Embassy"},
	{Handle: scientist, Name: "Nadia Hale", Email: "nadia@example.com", Role: news.RolePublisher},
	{Handle: kofi, Name: "Kofi Mensah", Email: "kofi@example.com", Role: news.RoleReader},
	{Handle: maria, Name: "María García", Email: "maria@example.com", Role: news.RoleReader},
	{Handle: liWei, Name: "李伟", Email: "liwei@example.com", Role: news.RoleReader},
	{Handle: olga, Name: "Ольга Смирнова", Email: "olga@example.com", Role: news.RoleReader},
}

// demoArticles are written in this order. The English ones are in
// articles_en.go, the Chinese and Russian ones in articles_intl.go.
var demoArticles = []article{
	lightsArticle,
	lanternArticle,
	microclimatesArticle,
	railArticle,
	fairArticle,
	fairRepublished,
	marathonArticle,
	stationsArticle,
	videoSeriesArticle,
	ferryDraft,
	museumsScheduled,
}
