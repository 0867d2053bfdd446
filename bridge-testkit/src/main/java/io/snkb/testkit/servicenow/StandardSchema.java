package io.snkb.testkit.servicenow;

import java.util.Map;

/**
 * The part of ServiceNow's out-of-the-box dictionary the simulator knows: reference columns, date-time columns,
 * default values, numbering and a few choice lists of the standard tables. Stateless.
 */
final class StandardSchema {

    private static final String[] TASK_USERS = {"caller_id", "opened_by", "assigned_to", "resolved_by", "closed_by"};
    private static final String[] TASK_TIMES = {"opened_at", "resolved_at", "closed_at", "due_date", "work_start",
        "work_end"};

    private StandardSchema() {
    }

    static void apply(SimDatabase db) {
        for (String task : new String[] {"incident", "problem", "change_request"}) {
            SimTable t = db.table(task);
            for (String f : TASK_USERS) {
                t.referenceField(f, "sys_user");
            }
            t.referenceField("assignment_group", "sys_user_group")
                    .referenceField("location", "cmn_location")
                    .referenceField("cmdb_ci", "cmdb_ci")
                    .referenceField("company", "core_company")
                    .dateTimeField(TASK_TIMES)
                    .columns("short_description", "description", "active", "priority", "state", "impact", "urgency",
                            "correlation_id", "correlation_display")
                    .displayField("number")
                    .defaultValue("active", "true");
        }
        db.table("incident").numbered("INC", 10001)
                .defaultValue("state", "1")
                .defaultValue("impact", "3")
                .defaultValue("urgency", "3")
                .defaultValue("priority", "5")
                .referenceField("problem_id", "problem")
                .referenceField("rfc", "change_request")
                .referenceField("caused_by", "change_request")
                .referenceField("vendor", "core_company")
                .choices("state", Map.of("1", "New", "2", "In Progress", "3", "On Hold", "6", "Resolved",
                        "7", "Closed", "8", "Canceled"))
                .choices("priority", Map.of("1", "1 - Critical", "2", "2 - High", "3", "3 - Moderate",
                        "4", "4 - Low", "5", "5 - Planning"))
                .choices("impact", Map.of("1", "1 - High", "2", "2 - Medium", "3", "3 - Low"))
                .choices("urgency", Map.of("1", "1 - High", "2", "2 - Medium", "3", "3 - Low"));
        db.table("problem").numbered("PRB", 40001);
        db.table("change_request").numbered("CHG", 30001);
        db.table("sys_user").columns("name", "user_name", "email", "time_zone", "active")
                .referenceField("location", "cmn_location").displayField("name");
        db.table("sys_user_group").columns("name", "description").referenceField("manager", "sys_user")
                .displayField("name");
        db.table("cmn_location").columns("name", "city", "country").displayField("name");
        db.table("cmdb_ci").columns("name").displayField("name");
        db.table("core_company").columns("name").displayField("name");
        db.table(SimDatabase.AUDIT_DELETE).columns("tablename", "documentkey", "payload", "display_value")
                .displayField("documentkey");
    }
}
