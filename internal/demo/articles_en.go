package demo

// English demo articles, with their comments.

var lightsArticle = article{
	Key:     "lights",
	Author:  newspaper,
	Title:   "Harbor Lights festival brings 40,000 visitors to the old quay",
	Summary: "Three nights of lantern boats, light installations and late-opening museums made the old quay the busiest place in the city this weekend.",
	Lang:    "en",
	Tags:    []string{"culture", "festival", "city"},
	Body: `The old quay has rarely been this crowded. Over three evenings, an estimated 40,000 people walked the waterfront for the tenth Harbor Lights festival, according to figures the organisers released on Sunday night.

## Boats, bridges and a tower

This year's programme leaned on the harbor itself. Twelve restored fishing boats were fitted with low-energy lanterns and moored in a slow ring in the inner basin, while students from the city's art college projected animations onto the underside of the Swing Bridge.

The highlights, as chosen by our readers:

- the **lantern flotilla**, which left the quay at nine each night;
- a sound-and-light piece inside the disused harbor-master's tower;
- free late openings at the Maritime Museum and the Ropeworks Gallery;
- a children's workshop where more than 800 paper lanterns were made.

> "We wanted people to look at the water again, not just walk past it," said festival director Miriam Castell. "On Saturday you could hardly see the quay for people looking at the boats."

## Quieter by design

After complaints about noise in earlier years, the organisers moved the music stages away from residential streets and ended amplified sound at 11 p.m. Residents' associations said the change had made a difference, though several asked for more public toilets along the route.

The full programme and a photo gallery are on the [festival website](https://example.org/harbor-lights). The eleventh edition will take place on the same weekend next year.
`,
	Comments: []comment{
		{By: kofi, Body: "The lantern flotilla on Saturday was the best thing I've seen in this city in years. My kids are still talking about it.",
			Replies: []comment{
				{Name: "Hannah Lee", Email: "hannah.lee@example.com", Website: "https://example.com/hannah",
					Body: "Same here! I put some photos of the flotilla from the Swing Bridge online, if anyone wants to see them: https://example.com/hannah/harbor-lights",
					Replies: []comment{
						{By: newspaper, Body: "Lovely pictures, Hannah. If you would like us to consider one for our weekend gallery, please send it to the picture desk."},
					}},
			}},
		{By: maria, Body: "Ending the music at eleven was a good call. We live two streets from the quay and slept fine for once.",
			Replies: []comment{
				{Name: "Peter Novak", Email: "peter.novak@example.com",
					Body: "Agreed, but the queue for the toilets by the museum was half an hour on Sunday. More of those next year, please."},
			}},
		{Name: "Tomasz", Email: "tomasz@example.com",
			Body: "Does anyone know whether the harbor-master's tower stays open after the festival?",
			Replies: []comment{
				{By: newspaper, Body: "The museum tells us it will open at weekends until the end of the month. We will update the article when we know more."},
			}},
	},
}

var microclimatesArticle = article{
	Key:     "microclimates",
	Author:  scientist,
	Title:   "Why one cold night felt so different across the city",
	Summary: "Last week's cold snap left frost on the hills and none on the waterfront. Thirty readers' thermometers show how much a city's shape changes its weather.",
	Lang:    "en",
	Tags:    []string{"science", "weather", "city"},
	Ago:     9 * hour,
	Body: `On the coldest night of last week, the official weather station at the airport recorded −4 °C. At the same moment a thermometer on a balcony in the old town read +1 °C, and one in a garden on Pine Hill read −7 °C. All three were right.

## A city makes its own weather

Streets store heat during the day in stone, brick and asphalt and give it back slowly at night. Water does the same, only more so: the harbor basin stays warmer than the air for much of the winter. Open ground on hills, by contrast, loses heat quickly under a clear sky, and the cold air drains downhill into hollows and valleys.

Thirty readers of this column lent me their readings for that night. Sorted by where they live, the pattern is clear:

- **waterfront and old town:** between 0 °C and +2 °C;
- **inner suburbs:** between −2 °C and −4 °C;
- **hill gardens and the river valley:** as low as −8 °C.

> Meteorologists call this the urban heat island. It is not a flaw in the measurements; it is what the measurements are for.

## Why it matters

A few degrees decide whether a pavement ices over, whether pipes freeze and whether a night shelter should open early. Some cities now run dense networks of small sensors to see these differences street by street; this [short introduction to urban climate observation](https://example.org/urban-climate) is a good place to start reading.

If you have a thermometer outside and would like to join the next round of readings, leave a comment below.
`,
	Comments: []comment{
		{Name: "Sam Patel", Email: "sam.patel@example.com", Website: "https://example.com/sam",
			Body: "I have a thermometer on my allotment in the river valley and it showed −9 °C that night. Count me in for the next round.",
			Replies: []comment{
				{By: scientist, Body: "−9 °C is remarkable even for the valley. Thank you, Sam, I will be in touch by email.",
					Replies: []comment{
						{By: kofi, Body: "The valley allotments always get the frost first. My tomatoes learned that the hard way."},
					}},
			}},
		{By: moderator, Body: "A friendly reminder: please don't post your exact address when you share readings. The neighbourhood is plenty."},
	},
}

var fairArticle = article{
	Key:     "fair",
	Author:  newspaper,
	Title:   "Spring trade fair opens with a hall devoted to repair and reuse",
	Summary: "More than 300 exhibitors from 18 countries are at the exhibition centre this week. The most talked-about hall sells nothing new at all.",
	Lang:    "en",
	Tags:    []string{"trade-fair", "business", "repair"},
	Ago:     1*day + 20*hour,
	Body: `The Harborside Spring Trade Fair opened on Tuesday with 312 exhibitors from 18 countries, its largest line-up since the exhibition centre was extended five years ago. The organisers expect around 25,000 trade visitors before the doors close on Friday.

## A hall where nothing is new

The surprise of the opening day was Hall C, given over entirely to repair and reuse. Instead of new products, exhibitors showed refurbished machine tools, spare-part libraries, modular furniture and software that tracks the condition of equipment.

Among the stands with the longest queues:

1. a workshop co-operative that rebuilds industrial sewing machines;
2. the pavilion of the Republic of Velmora, whose ceramic makers showed tableware glazed to be re-fired and mended rather than replaced;
3. a start-up that scans broken plastic parts and prints replacements on the spot.

> "Five years ago, repair was a table at the back of the hall," said fair director Jonas Pereira. "This year it has a hall of its own, and buyers are going there first."

## Practical information

The fair is open to trade visitors from 9 a.m. to 6 p.m. until Friday; Saturday is a public day with reduced tickets for students. Ferry line 4 runs an extra service to the exhibition centre pier every twenty minutes. The list of exhibitors is on the [fair's website](https://example.org/spring-fair).
`,
	Comments: []comment{
		{By: maria, Body: "Hall C sounds great. Is the public day on Saturday worth it, or is it mostly trade stands?",
			Replies: []comment{
				{By: kofi, Body: "I went last year. Saturday is busy, but most stands let you try things. Go early.",
					Replies: []comment{
						{By: maria, Body: "Thanks, Kofi, early it is."},
					}},
			}},
		{Name: "Lars Eriksen", Email: "lars@example.com", Website: "https://example.com/lars-workshop",
			Body: "We are one of the sewing-machine workshops in Hall C. Come and say hello at stand C14!"},
	},
}

// fairRepublished is the embassy republishing the newspaper's trade fair
// report, with a source credit.
var fairRepublished = article{
	Key:         "fair-velmora",
	Author:      embassy,
	RepublishOf: "fair",
	Summary:     "Velmoran ceramic makers are among the highlights of the spring trade fair's repair and reuse hall, reports The Daily Harbor.",
	Tags:        []string{"trade-fair", "velmora", "crafts"},
	Ago:         1*day + 16*hour,
	Comments: []comment{
		{By: kofi, Body: "I bought one of those re-fireable mugs at the fair. It has survived my kitchen for a week, which is a record.",
			Replies: []comment{
				{By: embassy, Body: "We are glad to hear it! The makers will be back at the autumn fair."},
			}},
	},
}

// videoSeriesArticle deliberately has no comments, so that the empty
// comment section can be seen.
var videoSeriesArticle = article{
	Key:     "video-series",
	Author:  embassy,
	Title:   "Hands of Velmora: a video series about our craftspeople",
	Summary: "In ten short films, the Embassy introduces weavers, boat builders, glass blowers and bakers from across the Republic of Velmora.",
	Lang:    "en",
	Tags:    []string{"culture", "velmora", "crafts", "video"},
	Ago:     4 * day,
	Body: `The Embassy of the Republic of Velmora is pleased to announce **Hands of Velmora**, a series of ten short films about the people who keep the country's traditional crafts alive. A new episode will be published here every two weeks, starting next month.

## The episodes

Each film is between eight and twelve minutes long and follows one workshop through a working day. The first five episodes are:

1. *The Loom House*: three generations of wool weavers in the mountain town of Orsa;
2. *Salt and Cedar*: a boatyard on the southern coast that still builds wooden fishing boats by hand;
3. *Blue Glass*: the glass blowers of Tavin and their cobalt-blue bottles;
4. *Bread of the Valley*: a village bakery with a four-hundred-year-old oven;
5. *Paper from Rags*: a small mill that makes paper for bookbinders and restorers.

> "Our crafts are not museum pieces. They are jobs that people choose today, and we want to show them at work," said the Ambassador at the launch.

## Screenings

All episodes will have subtitles in English, Chinese and Russian. Schools and cultural associations that would like to hold a screening, with a craftsperson joining by video link, will find the details on the [Embassy's culture page](https://example.org/velmora/culture).
`,
}

// ferryDraft is an unfinished draft by the newspaper.
var ferryDraft = article{
	Key:     "ferry-draft",
	Author:  newspaper,
	Title:   "Summer ferry timetable: what changes on 1 June",
	Summary: "Explainer for commuters. Waiting for the final times from the ferry company.",
	Lang:    "en",
	Tags:    []string{"transport", "city"},
	Status:  "draft",
	Body: `The summer timetable of the harbor ferries starts on 1 June. Here is what changes for commuters.

## Changes so far

- line 2 runs every 15 minutes instead of every 20 at peak times;
- the last boat to the islands leaves at 11.30 p.m. on Fridays and Saturdays;
- *to check:* does line 4 still stop at the exhibition centre pier?

> Note to the desk: the ferry company promised the final timetable by Thursday. Link it here when it is out.
`,
}

// museumsScheduled is the newspaper's post that goes public in a few days.
var museumsScheduled = article{
	Key:     "museums-scheduled",
	Author:  newspaper,
	Title:   "Night of the Museums: this year's programme at a glance",
	Summary: "Twenty-two museums and galleries stay open until midnight on Saturday, with free shuttle boats between them.",
	Lang:    "en",
	Tags:    []string{"culture", "museums", "city"},
	Status:  "scheduled",
	In:      3 * day,
	Body: `On Saturday, twenty-two museums and galleries across the city stay open until midnight, all with free entry. For the first time, shuttle boats link the waterfront venues.

## Our picks

- **Maritime Museum:** guided tours of the engine room of the old steam tug, every half hour;
- **Ropeworks Gallery:** a night of printmaking workshops for all ages;
- **Observatory on Pine Hill:** telescopes on the terrace if the sky is clear;
- **City Archive:** old harbor maps, shown to the public for the first time.

> "Some people only visit a museum once a year, on this night. We want them to come back the next morning," said the coordinator of the event.

Shuttle boats leave the old quay every fifteen minutes from 7 p.m. The full list of venues is on the [event website](https://example.org/museum-night).
`,
}
