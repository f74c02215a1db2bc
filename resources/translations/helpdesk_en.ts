<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
    <context>
        <name>CardStack</name>
        <message numerus="yes">
            <source>%n hidden cards</source>
            <translation>
                <numerusform>%n hidden card</numerusform>
                <numerusform>%n hidden cards</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>ConversationPane</name>
        <message numerus="yes">
            <source>%n messages</source>
            <translation>
                <numerusform>%n message</numerusform>
                <numerusform>%n messages</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Dialogs</name>
        <message numerus="yes">
            <source>%n tickets</source>
            <translation>
                <numerusform>%n ticket</numerusform>
                <numerusform>%n tickets</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n conversations</source>
            <translation>
                <numerusform>%n conversation</numerusform>
                <numerusform>%n conversations</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n of the selected tickets cannot be deleted and stay as they are:</source>
            <translation>
                <numerusform>%n of the selected tickets cannot be deleted and stays as it is:</numerusform>
                <numerusform>%n of the selected tickets cannot be deleted and stay as they are:</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>All %n tickets matching this view are selected.</source>
            <translation>
                <numerusform>The one ticket matching this view is selected.</numerusform>
                <numerusform>All %n tickets matching this view are selected.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n tickets are selected.</source>
            <translation>
                <numerusform>%n ticket is selected.</numerusform>
                <numerusform>%n tickets are selected.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Up to %n tickets will change.</source>
            <translation>
                <numerusform>Up to %n ticket will change.</numerusform>
                <numerusform>Up to %n tickets will change.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n tickets will change.</source>
            <translation>
                <numerusform>%n ticket will change.</numerusform>
                <numerusform>%n tickets will change.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n of {0} tickets will change; the others already have this value.</source>
            <translation>
                <numerusform>%n of {0} tickets will change; the others already have this value.</numerusform>
                <numerusform>%n of {0} tickets will change; the others already have this value.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>the other %n conversations</source>
            <translation>
                <numerusform>the other conversation</numerusform>
                <numerusform>the other %n conversations</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n messages</source>
            <translation>
                <numerusform>%n message</numerusform>
                <numerusform>%n messages</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Cancelled after %n messages.</source>
            <translation>
                <numerusform>Cancelled after %n message.</numerusform>
                <numerusform>Cancelled after %n messages.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n messages imported.</source>
            <translation>
                <numerusform>%n message imported.</numerusform>
                <numerusform>%n messages imported.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The help desk conversations of %n tickets move to {0}. The tickets stay in the help desk with the pipeline and status chosen below.</source>
            <translation>
                <numerusform>The help desk conversations of %n ticket move to {0}. The ticket stays in the help desk with the pipeline and status chosen below.</numerusform>
                <numerusform>The help desk conversations of %n tickets move to {0}. The tickets stay in the help desk with the pipeline and status chosen below.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The %n conversations of {s} move to {p}, each as its own thread, with every message and attachment; a switcher in the ticket view shows each thread.</source>
            <translation>
                <numerusform>The conversation of {s} moves to {p}, as its own thread, with every message and attachment; a switcher in the ticket view shows each thread.</numerusform>
                <numerusform>The %n conversations of {s} move to {p}, each as its own thread, with every message and attachment; a switcher in the ticket view shows each thread.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Labels</name>
        <message numerus="yes">
            <source>%ny</source>
            <comment>years, compact</comment>
            <translation>
                <numerusform>%ny</numerusform>
                <numerusform>%ny</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%nw</source>
            <comment>weeks, compact</comment>
            <translation>
                <numerusform>%nw</numerusform>
                <numerusform>%nw</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%nd</source>
            <comment>days, compact</comment>
            <translation>
                <numerusform>%nd</numerusform>
                <numerusform>%nd</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%nh</source>
            <comment>hours, compact</comment>
            <translation>
                <numerusform>%nh</numerusform>
                <numerusform>%nh</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%nm</source>
            <comment>minutes, compact</comment>
            <translation>
                <numerusform>%nm</numerusform>
                <numerusform>%nm</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>SelectionBar</name>
        <message numerus="yes">
            <source>All %n tickets matching this view are selected.</source>
            <translation>
                <numerusform>The one ticket matching this view is selected.</numerusform>
                <numerusform>All %n tickets matching this view are selected.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n checked</source>
            <translation>
                <numerusform>%n checked</numerusform>
                <numerusform>%n checked</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Select all %n matching this view</source>
            <translation>
                <numerusform>Select the one ticket matching this view</numerusform>
                <numerusform>Select all %n matching this view</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>TranscriptPrint</name>
        <message numerus="yes">
            <source>%n characters could not be printed: no font has them (shown as boxes).</source>
            <translation>
                <numerusform>%n character could not be printed: no font has it (shown as a box).</numerusform>
                <numerusform>%n characters could not be printed: no font has them (shown as boxes).</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Undo</name>
        <message numerus="yes">
            <source>%1 (%n tickets)</source>
            <translation>
                <numerusform>%1 (%n ticket)</numerusform>
                <numerusform>%1 (%n tickets)</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Upkeep</name>
        <message numerus="yes">
            <source>%n tickets older than 90 days were deleted for good from Spam and Recently deleted.</source>
            <translation>
                <numerusform>%n ticket older than 90 days was deleted for good from Spam and Recently deleted.</numerusform>
                <numerusform>%n tickets older than 90 days were deleted for good from Spam and Recently deleted.</numerusform>
            </translation>
        </message>
    </context>
</TS>
