"""Procedural schemas of the SQL tasks: six domains (retail, hr, school, library, flights,
clinic) of four tables each, with keys, constraints and the value pools their rows are drawn from.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column: SQL type, how its values are drawn (``kind``), and its constraints.

    kinds: ``pk``; ``fk:<table>``; ``name:<pool>`` (a label); ``pool:<pool>`` (a category);
    ``int:<lo>:<hi>``; ``money:<lo>:<hi>`` (two decimals); ``date:<first year>:<last year>``.
    """

    name: str
    type: str  # INTEGER, REAL, TEXT or DATE
    kind: str
    nullable: float = 0.0  # share of NULLs (0: NOT NULL)
    unique: bool = False
    phrase: str = ""  # how a question names it ("" -> the name with spaces)

    @property
    def words(self) -> str:
        return self.phrase or self.name.replace("_", " ")

    @property
    def numeric(self) -> bool:
        return self.kind.startswith(("int:", "money:"))

    @property
    def category(self) -> bool:
        return self.kind.startswith("pool:")

    @property
    def date(self) -> bool:
        return self.kind.startswith("date:")

    @property
    def parent(self) -> str | None:
        return self.kind[3:] if self.kind.startswith("fk:") else None


@dataclass(frozen=True)
class Table:
    name: str
    noun: str  # singular, for questions
    plural: str
    columns: tuple[Column, ...]
    label: str  # the column that names a row

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def measures(self) -> list[Column]:
        return [c for c in self.columns if c.numeric]

    @property
    def categories(self) -> list[Column]:
        return [c for c in self.columns if c.category]

    @property
    def dates(self) -> list[Column]:
        return [c for c in self.columns if c.date]

    @property
    def foreign_keys(self) -> list[Column]:
        return [c for c in self.columns if c.parent]

    @property
    def nullable(self) -> list[Column]:
        return [c for c in self.columns if c.nullable > 0]


@dataclass(frozen=True)
class Domain:
    name: str
    tables: tuple[Table, ...]  # parents before children

    def table(self, name: str) -> Table:
        return next(t for t in self.tables if t.name == name)

    def children(self, parent: str) -> list[tuple[Table, Column]]:
        return [(t, c) for t in self.tables for c in t.foreign_keys if c.parent == parent]


def _id() -> Column:
    return Column("id", "INTEGER", "pk")


def _fk(name: str, parent: str, nullable: float = 0.0) -> Column:
    return Column(name, "INTEGER", f"fk:{parent}", nullable)


POOLS: dict[str, tuple[str, ...]] = {
    "first": ("Ada", "Ben", "Cara", "Dev", "Eli", "Fay", "Gus", "Hana", "Ivo", "Jon", "Kai", "Lea", "Max", "Nia",
              "Omar", "Pia", "Raj", "Sara", "Tom", "Uma", "Vic", "Wen", "Yara", "Zoe", "Alba", "Bruno", "Chen", "Dina"),
    "last": ("Abbott", "Baker", "Costa", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jensen", "Khan",
             "Lopez", "Moreau", "Novak", "Okafor", "Patel", "Quinn", "Rossi", "Silva", "Tanaka", "Ueda", "Vargas"),
    "product": ("Kettle", "Lamp", "Desk", "Chair", "Mug", "Rug", "Pen", "Stapler", "Blender", "Toaster", "Pillow",
                "Blanket", "Backpack", "Umbrella", "Notebook", "Headphones", "Monitor", "Keyboard", "Mouse", "Teapot",
                "Vase", "Candle", "Mirror", "Shelf", "Clock", "Frame", "Basket", "Bottle", "Jacket", "Scarf"),
    "product_kind": ("kitchen", "office", "home", "outdoor", "toys", "garden"),
    "city": ("Paris", "Lyon", "Berlin", "Madrid", "Rome", "Lisbon", "Vienna", "Oslo", "Dublin", "Prague"),
    "status": ("pending", "shipped", "delivered", "cancelled"),
    "department": ("Sales", "Engineering", "Finance", "Legal", "Support", "Marketing", "Research", "Operations"),
    "title": ("analyst", "engineer", "manager", "assistant", "director", "clerk"),
    "project": ("Apollo", "Borealis", "Cobalt", "Delta", "Ember", "Falcon", "Granite", "Helix", "Iris", "Juniper",
                "Kestrel", "Lumen", "Meridian", "Nimbus", "Onyx", "Pulsar"),
    "subject": ("math", "physics", "history", "biology", "art", "music", "chemistry", "literature"),
    "course": ("Algebra", "Optics", "Genetics", "Painting", "Harmony", "Ecology", "Poetry", "Statistics", "Mechanics",
               "Ethics", "Geometry", "Botany", "Sculpture", "Rhetoric", "Astronomy", "Economics"),
    "course_level": ("intro", "intermediate", "advanced"),
    "country": ("France", "Germany", "Spain", "Italy", "Japan", "Brazil", "Canada", "India", "Kenya", "Norway"),
    "book": ("River", "Shadow", "Garden", "Winter", "Harbor", "Silence", "Ember", "Voyage", "Mirror", "Orchard",
             "Lantern", "Tide", "Meadow", "Echo", "Compass", "Atlas", "Summit", "Fable", "Horizon", "Quarry"),
    "genre": ("fiction", "mystery", "history", "science", "poetry", "travel", "fantasy"),
    "airline": ("Aero Blue", "Skyline", "Northwind", "Sunjet", "Polar Air", "Coastal", "Meridian Air", "Falcon Air"),
    "airport": ("CDG", "LHR", "FRA", "MAD", "FCO", "LIS", "VIE", "OSL", "DUB", "PRG", "AMS", "BCN", "MUC", "ZRH"),
    "seat_class": ("economy", "premium", "business", "first"),
    "specialty": ("cardiology", "dermatology", "neurology", "pediatrics", "oncology", "radiology"),
    "diagnosis": ("flu", "migraine", "fracture", "allergy", "asthma", "infection", "sprain"),
}

# Pools a name is built from: a person is "First Last"; the others take one word, numbered when reused.
NAME_POOLS = {"people": ("first", "last"), "product": ("product",), "project": ("project",), "course": ("course",),
              "book": ("book",), "department": ("department",), "airline": ("airline",), "airport": ("airport",)}

DOMAINS: dict[str, Domain] = {
    "retail": Domain("retail", (
        Table("customers", "customer", "customers", (
            _id(), Column("name", "TEXT", "name:people"), Column("city", "TEXT", "pool:city", 0.15),
            Column("signup_date", "DATE", "date:2019:2024", phrase="sign-up date"),
            Column("credit_limit", "REAL", "money:50:900", 0.1, phrase="credit limit")), "name"),
        Table("products", "product", "products", (
            _id(), Column("name", "TEXT", "name:product", unique=True), Column("category", "TEXT", "pool:product_kind"),
            Column("price", "REAL", "money:2:250"), Column("stock", "INTEGER", "int:0:60", 0.1)), "name"),
        Table("orders", "order", "orders", (
            _id(), _fk("customer_id", "customers"), Column("order_date", "DATE", "date:2021:2024", phrase="order date"),
            Column("status", "TEXT", "pool:status")), "id"),
        Table("order_items", "order item", "order items", (
            _id(), _fk("order_id", "orders"), _fk("product_id", "products"), Column("quantity", "INTEGER", "int:1:9")), "id"),
    )),
    "hr": Domain("hr", (
        Table("departments", "department", "departments", (
            _id(), Column("name", "TEXT", "name:department", unique=True), Column("location", "TEXT", "pool:city")), "name"),
        Table("employees", "employee", "employees", (
            _id(), Column("name", "TEXT", "name:people"), _fk("department_id", "departments"),
            Column("title", "TEXT", "pool:title"), Column("salary", "INTEGER", "int:30000:120000"),
            Column("hire_date", "DATE", "date:2010:2024", phrase="hire date"), Column("bonus", "INTEGER", "int:0:9000", 0.3)), "name"),
        Table("projects", "project", "projects", (
            _id(), Column("name", "TEXT", "name:project", unique=True), _fk("department_id", "departments"),
            Column("budget", "INTEGER", "int:10000:500000"), Column("start_date", "DATE", "date:2018:2024", phrase="start date")), "name"),
        Table("assignments", "assignment", "assignments", (
            _id(), _fk("employee_id", "employees"), _fk("project_id", "projects"), Column("hours", "INTEGER", "int:5:160")), "id"),
    )),
    "school": Domain("school", (
        Table("teachers", "teacher", "teachers", (
            _id(), Column("name", "TEXT", "name:people"), Column("subject", "TEXT", "pool:subject")), "name"),
        Table("courses", "course", "courses", (
            _id(), Column("title", "TEXT", "name:course", unique=True), _fk("teacher_id", "teachers"),
            Column("credits", "INTEGER", "int:1:6"), Column("level", "TEXT", "pool:course_level")), "title"),
        Table("students", "student", "students", (
            _id(), Column("name", "TEXT", "name:people"), Column("year", "INTEGER", "int:1:5", phrase="school year"),
            Column("city", "TEXT", "pool:city", 0.1)), "name"),
        Table("enrollments", "enrollment", "enrollments", (
            _id(), _fk("student_id", "students"), _fk("course_id", "courses"), Column("score", "INTEGER", "int:40:100", 0.2),
            Column("enrolled_on", "DATE", "date:2021:2024", phrase="enrolment date")), "id"),
    )),
    "library": Domain("library", (
        Table("authors", "author", "authors", (
            _id(), Column("name", "TEXT", "name:people"), Column("country", "TEXT", "pool:country", 0.1)), "name"),
        Table("books", "book", "books", (
            _id(), Column("title", "TEXT", "name:book", unique=True), _fk("author_id", "authors"), Column("genre", "TEXT", "pool:genre"),
            Column("published_year", "INTEGER", "int:1950:2024", phrase="publication year"), Column("pages", "INTEGER", "int:80:900")), "title"),
        Table("members", "member", "members", (
            _id(), Column("name", "TEXT", "name:people"), Column("city", "TEXT", "pool:city"),
            Column("joined_on", "DATE", "date:2015:2024", phrase="joining date")), "name"),
        Table("loans", "loan", "loans", (
            _id(), _fk("book_id", "books"), _fk("member_id", "members"), Column("loan_date", "DATE", "date:2022:2024", phrase="loan date"),
            Column("days_late", "INTEGER", "int:0:30", 0.25, phrase="days late")), "id"),
    )),
    "flights": Domain("flights", (
        Table("airlines", "airline", "airlines", (
            _id(), Column("name", "TEXT", "name:airline", unique=True), Column("country", "TEXT", "pool:country")), "name"),
        Table("airports", "airport", "airports", (
            _id(), Column("code", "TEXT", "name:airport", unique=True), Column("city", "TEXT", "pool:city")), "code"),
        Table("flights", "flight", "flights", (
            _id(), _fk("airline_id", "airlines"), _fk("origin_id", "airports"), Column("departure_date", "DATE", "date:2023:2024", phrase="departure date"),
            Column("duration_min", "INTEGER", "int:45:720", phrase="duration in minutes"), Column("price", "REAL", "money:40:1200")), "id"),
        Table("bookings", "booking", "bookings", (
            _id(), _fk("flight_id", "flights"), Column("passenger", "TEXT", "name:people"), Column("seat_class", "TEXT", "pool:seat_class", phrase="seat class"),
            Column("bags", "INTEGER", "int:0:3", 0.15)), "passenger"),
    )),
    "clinic": Domain("clinic", (
        Table("doctors", "doctor", "doctors", (
            _id(), Column("name", "TEXT", "name:people"), Column("specialty", "TEXT", "pool:specialty")), "name"),
        Table("patients", "patient", "patients", (
            _id(), Column("name", "TEXT", "name:people"), Column("city", "TEXT", "pool:city", 0.15),
            Column("birth_date", "DATE", "date:1940:2015", phrase="birth date")), "name"),
        Table("appointments", "appointment", "appointments", (
            _id(), _fk("patient_id", "patients"), _fk("doctor_id", "doctors"), Column("visit_date", "DATE", "date:2022:2024", phrase="visit date"),
            Column("fee", "REAL", "money:20:400"), Column("diagnosis", "TEXT", "pool:diagnosis", 0.3)), "id"),
        Table("prescriptions", "prescription", "prescriptions", (
            _id(), _fk("appointment_id", "appointments"), Column("drug", "TEXT", "name:product"), Column("days", "INTEGER", "int:1:30")), "drug"),
    )),
}

DOMAIN_NAMES = tuple(DOMAINS)
