using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Havale.Api.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Foundation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "api_clients",
                columns: table => new
                {
                    client_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    secret_hash = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    max_amount_per_transaction_rials = table.Column<long>(type: "INTEGER", nullable: false),
                    nids = table.Column<string>(type: "TEXT", nullable: false),
                    redirect_uris = table.Column<string>(type: "TEXT", nullable: false),
                    scopes = table.Column<string>(type: "TEXT", nullable: false),
                    created_utc = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_api_clients", x => x.client_id);
                    table.CheckConstraint("ck_api_clients_max_amount_positive", "max_amount_per_transaction_rials > 0");
                });

            migrationBuilder.CreateTable(
                name: "call_log",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    client_id = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    track_id = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    method = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    route = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    request_sha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    response_status = table.Column<int>(type: "INTEGER", nullable: true),
                    response_content_type = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    response_body = table.Column<byte[]>(type: "BLOB", nullable: true),
                    response_sha256 = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 64, nullable: true),
                    started_utc = table.Column<DateTimeOffset>(type: "TEXT", nullable: false),
                    completed_utc = table.Column<DateTimeOffset>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_call_log", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "customers",
                columns: table => new
                {
                    nid = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 10, nullable: false),
                    first_name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    last_name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    password_hash = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    created_utc = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_customers", x => x.nid);
                });

            migrationBuilder.CreateTable(
                name: "deposits",
                columns: table => new
                {
                    number = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 13, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    required_signatures = table.Column<int>(type: "INTEGER", nullable: false),
                    created_utc = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_deposits", x => x.number);
                    table.CheckConstraint("ck_deposits_required_signatures", "required_signatures >= 1");
                });

            migrationBuilder.CreateTable(
                name: "external_accounts",
                columns: table => new
                {
                    iban = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 26, nullable: false),
                    bank_code = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 3, nullable: false),
                    first_name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    last_name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    created_utc = table.Column<DateTimeOffset>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_external_accounts", x => x.iban);
                });

            migrationBuilder.CreateTable(
                name: "deposit_members",
                columns: table => new
                {
                    deposit_number = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 13, nullable: false),
                    nid = table.Column<string>(type: "TEXT", fixedLength: true, maxLength: 10, nullable: false),
                    is_owner = table.Column<bool>(type: "INTEGER", nullable: false),
                    is_signatory = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_deposit_members", x => new { x.deposit_number, x.nid });
                    table.ForeignKey(
                        name: "fk_deposit_members_deposit_number",
                        column: x => x.deposit_number,
                        principalTable: "deposits",
                        principalColumn: "number",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "fk_deposit_members_nid",
                        column: x => x.nid,
                        principalTable: "customers",
                        principalColumn: "nid",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "ux_call_log_client_id_track_id",
                table: "call_log",
                columns: new[] { "client_id", "track_id" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_deposit_members_nid",
                table: "deposit_members",
                column: "nid");

            migrationBuilder.CreateIndex(
                name: "ix_external_accounts_bank_code",
                table: "external_accounts",
                column: "bank_code");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "api_clients");

            migrationBuilder.DropTable(
                name: "call_log");

            migrationBuilder.DropTable(
                name: "deposit_members");

            migrationBuilder.DropTable(
                name: "external_accounts");

            migrationBuilder.DropTable(
                name: "deposits");

            migrationBuilder.DropTable(
                name: "customers");
        }
    }
}
