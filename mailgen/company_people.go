package mailgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// roster is Northwind Pictures. Every name is made up; executives (with a
// Mailbox) come first. Emails and phones are filled in by NewCompany.
var roster = []Employee{
	{Name: "Victoria Hale", Title: "Chair and Chief Executive Officer", Department: "Office of the Chairman", Mailbox: "hale-v", VIP: true},
	{Name: "Daniel Okafor", Title: "Co-Chairman", Department: "Office of the Chairman", Mailbox: "okafor-d", VIP: true},
	{Name: "Margaret Sato", Title: "Chief Financial Officer", Department: "Finance", Mailbox: "sato-m", VIP: true},
	{Name: "Raymond Castellano", Title: "EVP Human Resources", Department: "Human Resources", Mailbox: "castellano-r", VIP: true},
	{Name: "Elena Marsh", Title: "President of Production", Department: "Production", Mailbox: "marsh-e", VIP: true},
	{Name: "Julian Brandt", Title: "President of Marketing", Department: "Marketing", Mailbox: "brandt-j", VIP: true},
	{Name: "Harriet Quaye", Title: "General Counsel", Department: "Legal", Mailbox: "quaye-h", VIP: true},
	{Name: "Oliver Nakamura", Title: "President of Distribution", Department: "Distribution", Mailbox: "nakamura-o", VIP: true},
	{Name: "Lucas Ferreira", Title: "EVP Business Affairs", Department: "Business Affairs", Mailbox: "ferreira-l", VIP: true},

	{Name: "Nina Sorensen", Title: "Executive Assistant to the Chair", Department: "Office of the Chairman"},
	{Name: "Marcus Whitfield", Title: "Chief of Staff", Department: "Office of the Chairman"},
	{Name: "Priya Ramaswamy", Title: "Executive Assistant to the Co-Chairman", Department: "Office of the Chairman"},
	{Name: "Grant Holloway", Title: "SVP Finance", Department: "Finance"},
	{Name: "Leah Fontaine", Title: "Controller", Department: "Finance"},
	{Name: "Samuel Adeyemi", Title: "Senior Financial Analyst", Department: "Finance"},
	{Name: "Ingrid Vass", Title: "Treasury Manager", Department: "Finance"},
	{Name: "Kenji Mori", Title: "Financial Analyst", Department: "Finance"},
	{Name: "Carla Benedetti", Title: "Accounts Payable Supervisor", Department: "Finance"},
	{Name: "Tom Reilly", Title: "Payroll Manager", Department: "Finance"},
	{Name: "Emily Carter", Title: "Assistant to the CFO", Department: "Finance"},
	{Name: "Monica Reyes", Title: "HR Director", Department: "Human Resources"},
	{Name: "Alan Petrovic", Title: "Benefits Manager", Department: "Human Resources"},
	{Name: "Yvette Dubois", Title: "Recruiter", Department: "Human Resources"},
	{Name: "Hannah Kessler", Title: "HR Generalist", Department: "Human Resources"},
	{Name: "Grace Obi", Title: "Benefits Coordinator", Department: "Human Resources"},
	{Name: "Ben Castillo", Title: "EVP Production", Department: "Production"},
	{Name: "Sofia Marchetti", Title: "Line Producer", Department: "Production"},
	{Name: "Declan Byrne", Title: "Production Executive", Department: "Production"},
	{Name: "Amara Nwosu", Title: "Production Coordinator", Department: "Production"},
	{Name: "Rafael Ortega", Title: "Unit Production Manager", Department: "Production"},
	{Name: "Lily Chen", Title: "Development Executive", Department: "Production"},
	{Name: "Martin Kowalczyk", Title: "Production Accountant", Department: "Production"},
	{Name: "Jonah Weiss", Title: "Assistant to the President of Production", Department: "Production"},
	{Name: "Teresa Lindgren", Title: "Marketing Coordinator", Department: "Marketing"},
	{Name: "Jordan Pike", Title: "VP Digital Marketing", Department: "Marketing"},
	{Name: "Nadia Karim", Title: "Creative Director", Department: "Marketing"},
	{Name: "Owen Gallagher", Title: "Media Buyer", Department: "Marketing"},
	{Name: "Chloe Beaumont", Title: "Marketing Manager", Department: "Marketing"},
	{Name: "Ava Sinclair", Title: "Marketing Analyst", Department: "Marketing"},
	{Name: "Luis Navarro", Title: "Art Director", Department: "Marketing"},
	{Name: "Tobias Reinholt", Title: "Deputy General Counsel", Department: "Legal"},
	{Name: "Maya Goldberg", Title: "Senior Counsel", Department: "Legal"},
	{Name: "Patrick Doyle", Title: "Paralegal", Department: "Legal"},
	{Name: "Farid Haddad", Title: "EVP International Distribution", Department: "Distribution"},
	{Name: "Greta Lindholm", Title: "Distribution Manager", Department: "Distribution"},
	{Name: "Hugo Almeida", Title: "Theatrical Booking Manager", Department: "Distribution"},
	{Name: "Keiko Tanabe", Title: "Distribution Analyst", Department: "Distribution"},
	{Name: "Peter Vasquez", Title: "Home Entertainment Manager", Department: "Distribution"},
	{Name: "Ruth Abernathy", Title: "SVP Business Affairs", Department: "Business Affairs"},
	{Name: "Ivan Kovac", Title: "Business Affairs Manager", Department: "Business Affairs"},
	{Name: "Elise Moreau", Title: "Contracts Administrator", Department: "Business Affairs"},
	{Name: "Sarah Whitlock", Title: "Director of Business Affairs", Department: "Business Affairs"},
	{Name: "Curtis Lang", Title: "Director of IT", Department: "IT"},
	{Name: "Anil Mehta", Title: "Systems Administrator", Department: "IT"},
	{Name: "Beth Harrington", Title: "IT Support Specialist", Department: "IT"},
	{Name: "Zoë Calloway", Title: "VP Publicity", Department: "Publicity"},
	{Name: "Rhys Morgan", Title: "Publicist", Department: "Publicity"},
	{Name: "Jamal Whitaker", Title: "Publicity Coordinator", Department: "Publicity"},
	{Name: "Wen Zhao", Title: "Post-Production Supervisor", Department: "Post-Production"},
	{Name: "Dominic Ferraro", Title: "Editor", Department: "Post-Production"},
	{Name: "Sanna Virtanen", Title: "VFX Producer", Department: "Post-Production"},
}

// personalAddresses are the people who write from a personal address too.
var personalAddresses = []string{exposedName, "Victoria Hale", "Elena Marsh", "Julian Brandt", "Nina Sorensen",
	"Declan Byrne", "Sofia Marchetti", "Jordan Pike", "Anil Mehta", "Rhys Morgan", "Ivan Kovac", "Hannah Kessler",
	"Dominic Ferraro", "Chloe Beaumont", "Kenji Mori"}

// lawFirmDomain is outside counsel's domain.
const lawFirmDomain = "hartwell-lowe.example"

// outsiders are the company's correspondents outside it.
var nwOutsiders = []contact{
	{name: "Celia Montrose", email: "cmontrose@brightline-talent.example"},
	{name: "Victor Lam", email: "vlam@meridian-artists.example"},
	{name: "Graham Hartwell", email: "ghartwell@" + lawFirmDomain},
	{name: "Naomi Lowe", email: "nlowe@" + lawFirmDomain},
	{name: "Arjun Patel", email: "arjun.patel@stellar-vfx.example"},
	{name: "Dana Whitcombe", email: "dwhitcombe@vantage-cinemas.example"},
	{name: "Lena Frost", email: "lfrost@tradedaily.example"},
	{name: "Robert Asante", email: "rasante@kestrel-capital.example"},
	{name: "Klaus Bergmann", email: "k.bergmann@orchidfilm.example"},
	{name: "Fiona McAllister", email: "fiona@highland-locations.example"},
	{name: "Lumen Post Billing", email: "billing@lumenpost.example", org: true},
	{name: "Meridian Travel Desk", email: "desk@meridian-travel.example", org: true},
	{name: "Pacific Crest Bank Wire Desk", email: "wires@pacificcrest-bank.example", org: true},
	{name: "Sam Okoro", email: "sokoro@atlas-exhibition.example"},
}

// outsider returns the outsider with the given name.
func outsider(name string) contact {
	for _, o := range nwOutsiders {
		if o.name == name {
			return o
		}
	}
	panic("mailgen: no outsider " + name)
}

// Things the mail talks about: all made up.
var (
	nwProjects = []string{"Harbor Lights", "The Long Quiet", "Copper Canyon", "Midnight Ferry", "Glass Orchard",
		"Paper Tigers", "The Salt Road", "Northern Line", "Ember Falls", "Quiet Hours", "Iron Meadow", "Silver Tide"}
	nwTalent = []string{"Celeste Arden", "Jasper Quinlan", "Anika Ferro", "Dev Raman", "Lorna Achterberg",
		"Tomas Ekwueme", "Maribel Sousa", "Fletcher Dunmore", "Yara Halvorsen", "Ezra Calder"}
	nwPlaces = []string{"Vancouver", "Atlanta", "Budapest", "Lisbon", "Toronto", "Glasgow", "Cape Town",
		"Albuquerque", "Prague", "Wellington", "New Orleans", "Belfast"}
	nwMarkets   = []string{"Germany", "the UK", "France", "Japan", "Australia", "Brazil", "Mexico", "South Korea", "Spain", "Italy"}
	nwDays      = []string{"Monday", "Tuesday", "Wednesday", "Thursday", "Friday"}
	nwMonths    = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
	nwWords     = []string{"Juniper", "Lantern", "Quartz", "Harbor", "Falcon", "Cobalt", "Meadow", "Saffron", "Tundra", "Pelican"}
	nwClosings  = []string{"Thanks,", "Best,", "Regards,", "Thank you,", "Cheers,", "Best regards,"}
	nwGreetings = []string{"Hi %s,", "%s,", "Hello %s,", "Dear %s,", "", ""}
)

// emailOf is "first.last@domain" in ASCII.
func emailOf(name, domain string) string {
	f := strings.Fields(name)
	return asciiLower(f[0]) + "." + asciiLower(f[len(f)-1]) + "@" + domain
}

var personalDomains = []string{"mail.example", "inbox.example", "post.example"}

// personalOf is a personal address for name: first initial, last name and
// two digits at a made-up mail provider.
func personalOf(r *rand.Rand, name string) string {
	f := strings.Fields(name)
	return fmt.Sprintf("%s%s%02d@%s", asciiLower(f[0][:1]), asciiLower(f[len(f)-1]), 60+r.IntN(40),
		personalDomains[r.IntN(len(personalDomains))])
}

func firstName(name string) string { return strings.Fields(name)[0] }
