package loadgen

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/headline/headline/internal/news"
)

// The generated world is invented, like the demo's: the Republic of
// Velmora, the cities of Wangchao (望潮), Beiling (北岭) and Zarechinsk
// (Заречинск). Links and emails use the reserved example.* domains.

// Languages of generated people and posts, with their share of accounts.
var langs = [...]string{"en", "zh", "ru"}

const (
	langEN = iota
	langZH
	langRU
)

// word is a name part in its script and in Latin letters, for handles and
// email addresses.
type word struct{ text, latin string }

func w(pairs ...string) []word {
	out := make([]word, len(pairs)/2)
	for i := range out {
		out[i] = word{pairs[2*i], pairs[2*i+1]}
	}
	return out
}

var (
	enFirst = w("Anna", "anna", "James", "james", "Olivia", "olivia", "Liam", "liam", "Emma", "emma", "Noah", "noah",
		"Sophia", "sophia", "Lucas", "lucas", "Mia", "mia", "Ethan", "ethan", "Grace", "grace", "Henry", "henry",
		"Chloe", "chloe", "Daniel", "daniel", "Ruth", "ruth", "Samuel", "samuel", "Isla", "isla", "Owen", "owen",
		"Hannah", "hannah", "Leo", "leo", "Nora", "nora", "Felix", "felix", "Alice", "alice", "Jack", "jack")
	enLast = w("Smith", "smith", "Walker", "walker", "Brown", "brown", "Taylor", "taylor", "Harris", "harris",
		"Clarke", "clarke", "Lewis", "lewis", "Young", "young", "King", "king", "Wright", "wright", "Hughes", "hughes",
		"Green", "green", "Baker", "baker", "Hill", "hill", "Moore", "moore", "Ward", "ward", "Price", "price",
		"Bennett", "bennett", "Foster", "foster", "Reed", "reed", "O'Neill", "oneill", "Carter", "carter")
	zhSurname = w("王", "wang", "李", "li", "张", "zhang", "刘", "liu", "陈", "chen", "杨", "yang", "黄", "huang",
		"赵", "zhao", "吴", "wu", "周", "zhou", "徐", "xu", "孙", "sun", "马", "ma", "朱", "zhu", "胡", "hu",
		"郭", "guo", "何", "he", "林", "lin", "罗", "luo", "高", "gao")
	zhGiven = w("伟", "wei", "芳", "fang", "娜", "na", "敏", "min", "静", "jing", "强", "qiang", "磊", "lei",
		"洋", "yang", "艳", "yan", "勇", "yong", "杰", "jie", "娟", "juan", "涛", "tao", "明", "ming", "超", "chao",
		"秀英", "xiuying", "建华", "jianhua", "晓东", "xiaodong", "丽华", "lihua", "志强", "zhiqiang", "海燕", "haiyan",
		"文博", "wenbo", "雨桐", "yutong", "子涵", "zihan", "浩然", "haoran")
	ruFirstM = w("Иван", "ivan", "Алексей", "aleksei", "Дмитрий", "dmitrii", "Сергей", "sergei", "Андрей", "andrei",
		"Михаил", "mikhail", "Николай", "nikolai", "Павел", "pavel", "Артём", "artem", "Егор", "egor",
		"Владимир", "vladimir", "Максим", "maksim")
	ruFirstF = w("Анна", "anna", "Мария", "maria", "Елена", "elena", "Ольга", "olga", "Наталья", "natalia",
		"Татьяна", "tatiana", "Ирина", "irina", "Светлана", "svetlana", "Юлия", "iulia", "Дарья", "daria",
		"Ксения", "kseniia", "Алёна", "alena")
	// Russian surnames in the masculine form; feminineRU derives the other.
	ruLast = w("Иванов", "ivanov", "Смирнов", "smirnov", "Кузнецов", "kuznetsov", "Попов", "popov",
		"Соколов", "sokolov", "Лебедев", "lebedev", "Козлов", "kozlov", "Новиков", "novikov", "Морозов", "morozov",
		"Петров", "petrov", "Волков", "volkov", "Соловьёв", "solovev", "Васильев", "vasilev", "Зайцев", "zaitsev",
		"Павлов", "pavlov", "Семёнов", "semenov", "Голубев", "golubev", "Виноградов", "vinogradov")
)

// feminineRU gives the feminine form of a surname ending in -ов/-ев/-ёв.
func feminineRU(s word) word {
	if strings.HasSuffix(s.text, "в") {
		return word{s.text + "а", s.latin + "a"}
	}
	return s
}

// person is a generated name: Name in its script, Stem in Latin letters
// and underscores (at most maxStem bytes), the start of a handle.
type person struct{ Name, Stem string }

const maxStem = 17

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// newPerson draws a person of language lang.
func newPerson(r *rand.Rand, lang int) person {
	var name string
	var parts []string
	switch lang {
	case langZH:
		s, g := pick(r, zhSurname), pick(r, zhGiven)
		name, parts = s.text+g.text, []string{s.latin, g.latin}
	case langRU:
		last := pick(r, ruLast)
		first := pick(r, ruFirstM)
		if r.IntN(2) == 0 {
			first, last = pick(r, ruFirstF), feminineRU(last)
		}
		name, parts = first.text+" "+last.text, []string{first.latin, last.latin}
	default:
		f, l := pick(r, enFirst), pick(r, enLast)
		name, parts = f.text+" "+l.text, []string{f.latin, l.latin}
	}
	stem := strings.Join(parts, "_")
	if len(stem) > maxStem {
		stem = strings.TrimRight(stem[:maxStem], "_")
	}
	return person{Name: name, Stem: stem}
}

// handle is the handle of the i-th account of run r: the stem, "_", the
// index, and from the second run on "r" and the run, e.g. anna_smith_42 or
// anna_smith_42r2. The suffix after the last "_" starts with a digit and
// stems have none, so (stem, i, r) maps to one handle and back.
func handle(stem string, i, r int) string {
	h := stem + "_" + strconv.Itoa(i)
	if r > 1 {
		h += "r" + strconv.Itoa(r)
	}
	return h
}

// official is one of the verified organisations every site gets first.
type official struct {
	Stem, Name, Label, Bio string
	Lang                   int
}

// officials are the verified accounts, in the order they are created; the
// marker (run record) comes before them. Small runs get only the first few.
var officials = []official{
	{"daily_meridian", "The Daily Meridian", "Newspaper", "Independent daily of the Republic of Velmora since 1921.", langEN},
	{"wangchao_daily", "望潮日报", "Newspaper", "望潮市综合性日报，关注本地与国际新闻。", langZH},
	{"zarechinsk_pravda", "Заречинская правда", "Newspaper", "Городская газета Заречинска. Новости, мнения, расследования.", langRU},
	{"velmora_embassy", "Embassy of the Republic of Velmora", "Embassy", "Official account of the Embassy. Consular news and statements.", langEN},
	{"beiling_news", "北岭新闻社", "Agency", "北岭新闻社官方账号，全天候发布新闻。", langZH},
	{"severny_kurier", "Агентство «Северный курьер»", "Agency", "Информационное агентство. Новости каждый час.", langRU},
	{"harbor_gazette", "The Harbor Gazette", "Newspaper", "News from the harbour towns, every morning.", langEN},
	{"velmora_embassy_zh", "韦尔莫拉共和国大使馆", "Embassy", "韦尔莫拉共和国大使馆官方账号。", langZH},
	{"velmora_embassy_ru", "Посольство Республики Вельмора", "Embassy", "Официальный аккаунт посольства.", langRU},
	{"metro_evening", "Metro Evening Post", "Newspaper", "The evening paper of Eastbridge.", langEN},
	{"beiling_evening", "北岭晚报", "Newspaper", "北岭市晚报。", langZH},
	{"volna_radio", "Радио «Волна»", "Agency", "Новости и разговоры в эфире и в сети.", langRU},
}

var bios = [3][]string{
	{"Reader, walker, occasional letter writer.", "Teacher in Eastbridge. Views my own.",
		"Following the harbour news since forever.", "Data journalist. Charts, maps, numbers.",
		"Retired engineer with opinions on trams.", "Coffee, cycling and local politics."},
	{"喜欢读新闻，也喜欢写评论。", "望潮人，关注城市交通。", "数据新闻爱好者。", "退休教师，每天看报。",
		"摄影师，记录北岭的变化。", "关注科技与教育。"},
	{"Читаю новости каждый день.", "Учитель из Заречинска.", "Инженер на пенсии, люблю трамваи.",
		"Фотограф. Снимаю город.", "Пишу о науке и технике.", "Велосипед, кофе и городская политика."},
}

// emailDomains are reserved for examples (RFC 2606), so no mail leaves.
var emailDomains = []string{"example.com", "example.org", "example.net", "mail.example.com"}

// guestEmail makes a valid address from a stem: anna.smith42@example.org.
func guestEmail(r *rand.Rand, stem string) string {
	return strings.ReplaceAll(stem, "_", ".") + strconv.Itoa(r.IntN(1000)) + "@" + pick(r, emailDomains)
}

// checkAccount reports whether an account is valid by the product's rules.
func checkAccount(a *news.Account) error {
	p := news.Problems{}
	news.CheckHandle(p, "handle", a.Handle)
	news.CheckLine(p, "name", "Name", a.Name, news.MaxName, true)
	news.CheckEmail(p, "email", a.Email, false)
	news.CheckText(p, "bio", "Bio", a.Bio, news.MaxBio, false)
	news.CheckLine(p, "official", "Official label", a.Official, news.MaxOfficial, false)
	return p.Err()
}
