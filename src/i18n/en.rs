//! English.

use super::Messages;

pub static MESSAGES: Messages = Messages {
    app_name: "Linli",
    nav_label: "Main navigation",
    nav_home: "Home",
    nav_council: "Council",
    nav_points: "Points",
    nav_volunteer: "Volunteer",
    nav_me: "Me",

    badge_online: "Online",
    badge_offline: "Offline",
    badge_online_hint: "Connected to the network",
    badge_offline_hint: "No network: you can keep browsing; changes sync when you are back online",

    home_title: "Home",
    home_empty_title: "You have not joined a community yet",
    home_empty_body: "Linli is where your neighbourhood holds councils, keeps points and organises volunteers. Once you join, this page shows notices, proposals waiting for your vote and neighbours asking for help.",
    home_empty_steps: [
        "Ask a community worker or your grid worker for an invitation link",
        "Open the link on your phone to join; no account to register",
        "Works without a network and syncs when you are back online",
    ],

    council_title: "Resident council",
    council_empty_title: "No proposals yet",
    council_empty_body: "Once you join a community, this is where you take part in the resident council:",
    council_empty_items: [
        "Propose an issue and ask neighbours to second it",
        "Deliberate and add your comments",
        "Vote on your phone and follow the result and its implementation",
    ],

    points_title: "Points",
    points_empty_title: "No points yet",
    points_empty_body: "Once you join a community, this is where you:",
    points_empty_items: [
        "Read the points rules and your own points history",
        "Redeem points in the points store",
        "See the red and black lists (names masked)",
    ],

    volunteer_title: "Volunteering",
    volunteer_empty_title: "No volunteer tasks yet",
    volunteer_empty_body: "Once you join a community, this is where you:",
    volunteer_empty_items: [
        "Register your skills and when you are free",
        "Sign up for tasks and check in and out on site",
        "Turn confirmed hours into points",
    ],

    me_title: "Me",
    me_community: "My community",
    me_no_community: "Not in a community yet",
    me_settings: "Settings",
    me_language: "Language",
    me_large_text: "Large text",
    me_large_text_hint: "Bigger letters and stronger contrast, easier to read",
    me_saved_on_device: "Settings are saved on this device",
    me_not_saved: "Storage is unavailable: settings last only until you close the app",
    me_about: "About Linli",
    me_about_body: "Linli (邻里): resident councils, points and volunteering. Your data stays on your phone and works without a network.",

    not_found_title: "Page not found",
    not_found_body: "The link may be wrong, or the page has moved.",
    not_found_back: "Back to Home",

    error_title: "Something went wrong",
    store_unavailable: "This device's storage is unavailable (private browsing, or full). You can keep browsing, but settings will not be saved.",
    store_read_failed: "Could not read saved data; using the default settings for now.",
    store_write_failed: "Could not save; this setting was not kept. Please try again.",
    store_quota: "Your phone is out of storage, so nothing was saved. Free some space and try again.",
    dismiss: "OK",
};
