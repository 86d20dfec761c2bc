package loadgen

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"
)

// vocab is what one language's texts are made of.
type vocab struct {
	places, subjects, verbs, objects, endings []string
	sentences, headings, quotes, listItems    []string
	remarks, questions                        []string
	tags                                      []string
	sources                                   []string
	titleSep                                  string // between place and the rest
}

var vocabs = [3]vocab{
	langEN: {
		places:   []string{"Velmora", "Wangchao", "Beiling", "Zarechinsk", "Eastbridge", "Port Alder", "the capital", "the harbour district"},
		subjects: []string{"city council", "port authority", "central bank", "university", "health ministry", "transit agency", "water board", "court", "school district", "chamber of commerce"},
		verbs:    []string{"approves", "delays", "unveils", "rejects", "expands", "reviews", "cuts", "funds", "questions", "defends"},
		objects: []string{"new ferry terminal", "budget for schools", "river clean-up plan", "tram line extension", "rules for short-term rentals",
			"night bus network", "flood defences", "tax on empty homes", "library opening hours", "bridge repairs", "hospital wing", "cycle lanes"},
		endings:  []string{"", "", "", " after long debate", " as costs rise", ": what we know", " amid protests", " for the third time", ", sources say"},
		titleSep: " ",
		sentences: []string{
			"Officials said the decision followed months of consultation with residents.",
			"The plan still needs the approval of the regional assembly.",
			"Critics argue that the cost has been underestimated from the start.",
			"Supporters say the change is long overdue.",
			"Work is expected to begin in the spring and last about two years.",
			"A spokesperson declined to comment on the timetable.",
			"Local businesses have asked for compensation during the works.",
			"The opposition called for an independent review.",
			"Figures published on Tuesday show a sharp rise compared with last year.",
			"Residents packed the town hall for a meeting that ran past midnight.",
			"The proposal is the third of its kind in a decade.",
			"Engineers warned that delays would make the project more expensive.",
			"Several neighbourhoods will be affected by the changes.",
			"The mayor said the city could not afford to wait any longer.",
			"Experts are divided on how much difference it will make.",
			"The final vote is scheduled for next month.",
		},
		headings:  []string{"What happens next", "Why it matters", "The background", "Reactions", "The numbers", "What residents say"},
		quotes:    []string{"We have waited long enough.", "This is not the end of the discussion.", "The numbers simply do not add up.", "It is a good day for the city."},
		listItems: []string{"a public hearing in two weeks", "a revised budget", "an environmental assessment", "a pilot in two districts", "a final vote by the council", "monthly progress reports"},
		remarks: []string{"Great reporting, thank you.", "I disagree with the second point.", "This has been promised for years.",
			"Finally some good news.", "Who is going to pay for this?", "The article leaves out the cost to residents.",
			"I live nearby and the situation is worse than described.", "Thanks for explaining the background.",
			"Same story every election year.", "Good to see this covered at last.", "The comments here are better than the article.",
			"Let's wait and see what actually gets built.", "My street has been waiting for this since 2015."},
		questions: []string{"Does anyone know when the works start?", "Is there a map of the new route?", "What did the opposition propose instead?",
			"Where can I read the full report?", "How much will it cost per household?"},
		tags:    []string{"politics", "economy", "climate", "health", "education", "transport", "technology", "culture", "sports", "science", "business", "world", "local", "energy", "housing", "diplomacy", "elections", "trade", "weather", "opinion"},
		sources: []string{"Velmora Press Agency", "Harbour Radio", "The Eastbridge Courier"},
	},
	langZH: {
		places:   []string{"望潮", "北岭", "韦尔莫拉", "东桥", "南湾", "新港"},
		subjects: []string{"市政府", "港务局", "中央银行", "大学", "卫生部", "交通局", "水务局", "法院", "教育局", "商会"},
		verbs:    []string{"批准", "推迟", "公布", "否决", "扩建", "审查", "削减", "资助", "质疑", "回应"},
		objects: []string{"新轮渡码头", "学校预算", "河道治理计划", "有轨电车延伸线", "短租管理规定", "夜间公交网络",
			"防洪工程", "空置房税", "图书馆开放时间", "大桥维修", "医院新楼", "自行车道"},
		endings: []string{"", "", "", "，引发热议", "：你需要知道的", "，专家看法不一", "（附全文）"},
		sentences: []string{
			"官员表示，这一决定是在与居民协商数月之后作出的。", "该计划仍需地区议会批准。", "批评者认为成本从一开始就被低估了。",
			"支持者说，这一变化早就应该发生。", "工程预计明年春天开工，持续约两年。", "发言人拒绝就时间表发表评论。",
			"当地商户要求在施工期间获得补偿。", "反对派呼吁进行独立审查。", "周二公布的数据显示，与去年相比大幅上升。",
			"居民挤满了市政厅，会议一直开到午夜。", "工程师警告说，拖延会让项目更加昂贵。", "多个街区将受到影响。",
			"市长说，城市不能再等下去了。", "专家对其效果看法不一。", "最终投票定于下个月举行。",
		},
		headings:  []string{"下一步", "为什么重要", "背景", "各方反应", "数据", "居民怎么说"},
		quotes:    []string{"我们已经等得够久了。", "讨论还没有结束。", "这些数字根本对不上。", "这是城市的好日子。"},
		listItems: []string{"两周后举行听证会", "修订后的预算", "环境评估", "在两个区试点", "议会最终表决", "每月进度报告"},
		remarks: []string{"报道得很好，谢谢。", "我不同意第二点。", "这件事已经承诺好多年了。", "终于有好消息了。", "谁来买单？",
			"文章没有提到居民的成本。", "我就住在附近，情况比文中描述的更糟。", "感谢解释背景。", "每次选举都是这一套。",
			"等着看到底能建成什么吧。", "我们这条街从2015年就在等了。"},
		questions: []string{"有人知道什么时候开工吗？", "有新线路的地图吗？", "反对派提出了什么方案？", "在哪里可以看到完整报告？", "每户要多花多少钱？"},
		tags:      []string{"政治", "经济", "气候", "健康", "教育", "交通", "科技", "文化", "体育", "科学", "商业", "国际", "本地", "能源", "住房", "外交", "选举", "贸易", "天气", "评论"},
		sources:   []string{"北岭新闻社", "望潮广播电台", "东桥晨报"},
	},
	langRU: {
		places:   []string{"Заречинск", "Вельмора", "Бэйлин", "Ванчао", "Восточный мост", "Новый порт"},
		subjects: []string{"городской совет", "портовое управление", "центральный банк", "университет", "министерство здравоохранения", "транспортное агентство", "водоканал", "суд", "управление образования", "торговая палата"},
		verbs:    []string{"одобряет", "откладывает", "представляет", "отклоняет", "расширяет", "пересматривает", "сокращает", "финансирует", "критикует", "защищает"},
		objects: []string{"новый паромный терминал", "бюджет школ", "план очистки реки", "продление трамвайной линии", "правила краткосрочной аренды",
			"сеть ночных автобусов", "защиту от наводнений", "налог на пустующее жильё", "часы работы библиотек", "ремонт моста", "новый корпус больницы", "велодорожки"},
		endings:  []string{"", "", "", " после долгих споров", " на фоне роста цен", ": что известно", " на фоне протестов", " в третий раз"},
		titleSep: ": ",
		sentences: []string{
			"Чиновники заявили, что решение принято после нескольких месяцев консультаций с жителями.",
			"План ещё должно утвердить областное собрание.", "Критики считают, что стоимость с самого начала занижена.",
			"Сторонники говорят, что перемены давно назрели.", "Работы начнутся весной и продлятся около двух лет.",
			"Пресс-секретарь отказался комментировать сроки.", "Местные предприниматели просят компенсацию на время работ.",
			"Оппозиция потребовала независимой проверки.", "Опубликованные во вторник данные показывают резкий рост по сравнению с прошлым годом.",
			"Жители заполнили зал мэрии, собрание затянулось за полночь.", "Инженеры предупреждают, что задержки сделают проект дороже.",
			"Изменения затронут несколько районов.", "Мэр заявил, что город больше не может ждать.",
			"Эксперты расходятся во мнениях о том, что это изменит.", "Окончательное голосование назначено на следующий месяц.",
		},
		headings:  []string{"Что дальше", "Почему это важно", "Предыстория", "Реакция", "Цифры", "Что говорят жители"},
		quotes:    []string{"Мы ждали достаточно долго.", "Обсуждение на этом не заканчивается.", "Цифры просто не сходятся.", "Это хороший день для города."},
		listItems: []string{"публичные слушания через две недели", "пересмотренный бюджет", "экологическая экспертиза", "пилотный проект в двух районах", "окончательное голосование совета", "ежемесячные отчёты"},
		remarks: []string{"Отличный материал, спасибо.", "Не согласен со вторым пунктом.", "Это обещают уже много лет.",
			"Наконец-то хорошие новости.", "А кто за это заплатит?", "В статье ничего не сказано о расходах жителей.",
			"Живу рядом, всё гораздо хуже, чем написано.", "Спасибо, что объяснили предысторию.", "Каждые выборы одно и то же.",
			"Посмотрим, что построят на самом деле.", "Наша улица ждёт этого с 2015 года."},
		questions: []string{"Кто-нибудь знает, когда начнутся работы?", "Есть карта нового маршрута?", "Что предлагала оппозиция?",
			"Где прочитать полный отчёт?", "Сколько это будет стоить каждой семье?"},
		tags:    []string{"политика", "экономика", "климат", "здоровье", "образование", "транспорт", "технологии", "культура", "спорт", "наука", "бизнес", "мир", "город", "энергетика", "жильё", "дипломатия", "выборы", "торговля", "погода", "мнение"},
		sources: []string{"Агентство «Северный курьер»", "Радио «Волна»", "Вельмора-пресс"},
	},
}

// title draws a headline, e.g. "Wangchao port authority delays new ferry
// terminal amid protests".
func (v *vocab) title(r *rand.Rand) string {
	place, rest := pick(r, v.places), pick(r, v.subjects)+" "+pick(r, v.verbs)+" "+pick(r, v.objects)
	if v.titleSep == "" { // Chinese: no spaces
		return place + strings.ReplaceAll(rest, " ", "") + pick(r, v.endings)
	}
	if v.titleSep == " " {
		return upperFirst(place) + " " + rest + pick(r, v.endings)
	}
	return place + v.titleSep + rest + pick(r, v.endings)
}

func upperFirst(s string) string {
	_, n := utf8.DecodeRuneInString(s)
	return strings.ToUpper(s[:n]) + s[n:]
}

// join joins sentences with a space, or with nothing in Chinese.
func (v *vocab) join(parts []string) string {
	if v.titleSep == "" {
		return strings.Join(parts, "")
	}
	return strings.Join(parts, " ")
}

func (v *vocab) paragraph(r *rand.Rand, n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = pick(r, v.sentences)
	}
	return v.join(parts)
}

// article draws a Markdown article of 1–3 KB: paragraphs, a section heading,
// often a list, a quote or a link.
func (v *vocab) article(r *rand.Rand) string {
	var b strings.Builder
	para := func() { b.WriteString(v.paragraph(r, 2+r.IntN(3))); b.WriteString("\n\n") }
	for range 2 + r.IntN(2) {
		para()
	}
	b.WriteString("## " + pick(r, v.headings) + "\n\n")
	para()
	if r.IntN(2) == 0 {
		for range 3 + r.IntN(3) {
			b.WriteString("- " + pick(r, v.listItems) + "\n")
		}
		b.WriteString("\n")
	}
	if r.IntN(3) == 0 {
		b.WriteString("> " + pick(r, v.quotes) + "\n\n")
	}
	para()
	if r.IntN(3) == 0 {
		b.WriteString("[" + pick(r, v.headings) + "](https://example.org/reports/" + strconv.Itoa(r.IntN(10000)) + ")\n")
	}
	return strings.TrimSpace(b.String())
}

// comment draws a plain-text comment: a remark or a question, sometimes two
// paragraphs or a link, as people write them.
func (v *vocab) comment(r *rand.Rand) string {
	var parts []string
	for range 1 + r.IntN(3) {
		if r.IntN(4) == 0 {
			parts = append(parts, pick(r, v.questions))
		} else {
			parts = append(parts, pick(r, v.remarks))
		}
	}
	text := v.join(parts)
	switch r.IntN(10) {
	case 0:
		text += "\n\n" + pick(r, v.sentences)
	case 1:
		text += " https://example.com/news/" + strconv.Itoa(r.IntN(100000))
	}
	return text
}

// tagsFor draws 1–4 tags: mostly of the post's language, now and then one
// in English, as multilingual sites have.
func tagsFor(r *rand.Rand, lang int) []string {
	n := 1 + r.IntN(4)
	out := make([]string, 0, n)
	for range n {
		l := lang
		if r.IntN(8) == 0 {
			l = langEN
		}
		out = append(out, pick(r, vocabs[l].tags))
	}
	return out
}
