using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Havale.Api.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Webhooks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "webhook_endpoints",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    client_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    url = table.Column<string>(type: "TEXT", maxLength: 500, nullable: false),
                    event_types = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    is_enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    disabled_reason = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    secret = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    previous_secret = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    previous_secret_expires_utc = table.Column<long>(type: "INTEGER", nullable: true),
                    consecutive_failures = table.Column<int>(type: "INTEGER", nullable: false),
                    failing_since_utc = table.Column<long>(type: "INTEGER", nullable: true),
                    created_utc = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_endpoints", x => x.id);
                    table.ForeignKey(
                        name: "fk_webhook_endpoints_client_id",
                        column: x => x.client_id,
                        principalTable: "api_clients",
                        principalColumn: "client_id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "webhook_events",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    public_id = table.Column<string>(type: "TEXT", maxLength: 36, nullable: false),
                    client_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    type = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    object_key = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    created_utc = table.Column<long>(type: "INTEGER", nullable: false),
                    is_fanned_out = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_events", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "webhook_deliveries",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    event_id = table.Column<long>(type: "INTEGER", nullable: false),
                    endpoint_id = table.Column<long>(type: "INTEGER", nullable: false),
                    object_key = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    next_attempt_utc = table.Column<long>(type: "INTEGER", nullable: false),
                    give_up_utc = table.Column<long>(type: "INTEGER", nullable: false),
                    lease_until_utc = table.Column<long>(type: "INTEGER", nullable: true),
                    lease_token = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    last_attempt_utc = table.Column<long>(type: "INTEGER", nullable: true),
                    last_response_status = table.Column<int>(type: "INTEGER", nullable: true),
                    last_latency_ms = table.Column<int>(type: "INTEGER", nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    created_utc = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_webhook_deliveries", x => x.id);
                    table.CheckConstraint("ck_webhook_deliveries_status", "status IN ('Pending', 'Delivered', 'GivenUp')");
                    table.ForeignKey(
                        name: "fk_webhook_deliveries_endpoint_id",
                        column: x => x.endpoint_id,
                        principalTable: "webhook_endpoints",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_webhook_deliveries_event_id",
                        column: x => x.event_id,
                        principalTable: "webhook_events",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_endpoint_id_object_key_status",
                table: "webhook_deliveries",
                columns: new[] { "endpoint_id", "object_key", "status" });

            migrationBuilder.CreateIndex(
                name: "ix_webhook_deliveries_status_next_attempt_utc",
                table: "webhook_deliveries",
                columns: new[] { "status", "next_attempt_utc" });

            migrationBuilder.CreateIndex(
                name: "ux_webhook_deliveries_event_id_endpoint_id",
                table: "webhook_deliveries",
                columns: new[] { "event_id", "endpoint_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_webhook_endpoints_client_id",
                table: "webhook_endpoints",
                column: "client_id");

            migrationBuilder.CreateIndex(
                name: "ix_webhook_events_is_fanned_out_id",
                table: "webhook_events",
                columns: new[] { "is_fanned_out", "id" });

            migrationBuilder.CreateIndex(
                name: "ux_webhook_events_public_id",
                table: "webhook_events",
                column: "public_id",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "webhook_deliveries");

            migrationBuilder.DropTable(
                name: "webhook_endpoints");

            migrationBuilder.DropTable(
                name: "webhook_events");
        }
    }
}
